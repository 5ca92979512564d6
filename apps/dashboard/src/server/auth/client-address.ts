// The address a request came from, for sign-in limits. The server that owns the socket stamps
// it on the request under a header of its own (removing any copy the client sent); forwarded
// headers count only when that socket address is a proxy the operator listed as trusted.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const CLIENT_ADDRESS_HEADER = 'x-switchyard-client-address';

/** Used when no server stamped the request (e.g. `next dev`). */
export const UNKNOWN_ADDRESS = 'unknown';

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/** Called by the node:http server before anything else reads the request. */
export function stampClientAddress(request: IncomingMessage): void {
  const address = request.socket.remoteAddress;
  request.headers[CLIENT_ADDRESS_HEADER] = address ? normalizeAddress(address) : UNKNOWN_ADDRESS;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** Whether `address` is one of the trusted entries: exact addresses or IPv4 `a.b.c.d/n` ranges. */
export function isTrustedProxy(address: string, trusted: ReadonlyArray<string>): boolean {
  return trusted.some((entry) => {
    const [range, bits] = entry.split('/');
    if (bits === undefined || range === undefined) return normalizeAddress(entry) === address;
    if (isIP(range) !== 4 || isIP(address) !== 4) return false;
    const size = Number(bits);
    if (!Number.isInteger(size) || size < 0 || size > 32) return false;
    const block = 2 ** (32 - size);
    return Math.floor(ipv4ToNumber(address) / block) === Math.floor(ipv4ToNumber(range) / block);
  });
}

/**
 * The client's address: the socket's, or — when the socket is a trusted proxy — the nearest
 * address in `X-Forwarded-For` that is not itself a trusted proxy.
 */
export function clientAddressOf(headers: Headers, trustedProxies: ReadonlyArray<string>): string {
  const socket = normalizeAddress(headers.get(CLIENT_ADDRESS_HEADER) ?? UNKNOWN_ADDRESS);
  if (!isTrustedProxy(socket, trustedProxies)) return socket;
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map(normalizeAddress)
    .filter((entry) => isIP(entry) !== 0);
  for (const hop of forwarded.reverse()) if (!isTrustedProxy(hop, trustedProxies)) return hop;
  return socket;
}
