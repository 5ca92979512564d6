import { describe, expect, it } from 'vitest';
import { allowedHostnames, isAllowedHost } from './allowed-hosts.ts';

describe('allowed hosts', () => {
  const local = allowedHostnames({ listenHost: '0.0.0.0' });

  it('accepts the localhost names with any port', () => {
    for (const host of [
      'localhost:3000',
      '127.0.0.1:3000',
      '[::1]:3000',
      'app.localhost',
      'LOCALHOST',
    ])
      expect(isAllowedHost(host, local)).toBe(true);
  });

  it('refuses a rebound or unknown name, and a missing Host', () => {
    expect(isAllowedHost('rebind.attacker.example', local)).toBe(false);
    expect(isAllowedHost('localhost.attacker.example:3000', local)).toBe(false);
    expect(isAllowedHost('192.168.1.20:3000', local)).toBe(false);
    expect(isAllowedHost(null, local)).toBe(false);
    expect(isAllowedHost('bad host', local)).toBe(false);
  });

  it('accepts the public URL host and a specific listen address', () => {
    const allowed = allowedHostnames({
      publicUrl: 'https://Switchyard.Example.com/',
      listenHost: '192.168.1.20',
    });
    expect(isAllowedHost('switchyard.example.com', allowed)).toBe(true);
    expect(isAllowedHost('192.168.1.20:3000', allowed)).toBe(true);
  });
});
