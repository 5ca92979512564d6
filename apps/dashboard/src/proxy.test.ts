import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from './proxy.ts';

describe('the request proxy in front of every page', () => {
  it('adds the security headers to pages', () => {
    const response = proxy(
      new NextRequest('http://localhost:3000/providers', { headers: { host: 'localhost:3000' } }),
    );
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses a page asked for under a rebound host name', () => {
    const request = new NextRequest('http://rebind.attacker.example/sign-in', {
      headers: { host: 'rebind.attacker.example' },
    });
    expect(proxy(request).status).toBe(403);
    const local = new NextRequest('http://127.0.0.1:3000/sign-in', {
      headers: { host: '127.0.0.1:3000' },
    });
    expect(proxy(local).status).toBe(200);
  });
});
