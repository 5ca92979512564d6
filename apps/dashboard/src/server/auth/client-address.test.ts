import { describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, clientAddressOf, isTrustedProxy } from './client-address.ts';

function headersFrom(socket: string | undefined, forwardedFor?: string): Headers {
  const headers = new Headers();
  if (socket) headers.set(CLIENT_ADDRESS_HEADER, socket);
  if (forwardedFor) headers.set('x-forwarded-for', forwardedFor);
  return headers;
}

describe('clientAddressOf', () => {
  it('uses the socket address and ignores X-Forwarded-For from an untrusted client', () => {
    expect(clientAddressOf(headersFrom('::ffff:127.0.0.1', '1.2.3.4'), [])).toBe('127.0.0.1');
    expect(clientAddressOf(headersFrom('203.0.113.5', '9.9.9.9'), ['10.0.0.1'])).toBe(
      '203.0.113.5',
    );
  });

  it('does not fall back to one shared bucket for every direct client', () => {
    expect(clientAddressOf(headersFrom('198.51.100.1'), [])).not.toBe(
      clientAddressOf(headersFrom('198.51.100.2'), []),
    );
  });

  it('reads X-Forwarded-For through trusted proxies, from the right, skipping trusted hops', () => {
    const trusted = ['10.0.0.0/8', '192.0.2.7'];
    expect(
      clientAddressOf(headersFrom('10.1.2.3', '6.6.6.6, 203.0.113.9, 192.0.2.7'), trusted),
    ).toBe('203.0.113.9');
    expect(clientAddressOf(headersFrom('10.1.2.3'), trusted)).toBe('10.1.2.3');
  });

  it('matches exact addresses and IPv4 ranges', () => {
    expect(isTrustedProxy('10.9.8.7', ['10.0.0.0/8'])).toBe(true);
    expect(isTrustedProxy('11.0.0.1', ['10.0.0.0/8'])).toBe(false);
    expect(isTrustedProxy('::1', ['::1'])).toBe(true);
    expect(isTrustedProxy('127.0.0.1', ['127.0.0.0/33'])).toBe(false);
  });
});
