// Checks on a tRPC HTTP request made before tRPC sees it: things tRPC either does not check or
// checks only after it has read and parsed the whole body.
import { isAllowedHost } from '../auth/allowed-hosts.ts';
import { TrpcRefusal } from './http-refusal.ts';

/** Largest batch tRPC accepts; the dashboard's pages batch far fewer calls. */
export const MAX_BATCH_SIZE = 50;

/** The procedure paths a request calls: `a.b,c.d` after the endpoint. */
export function proceduresOf(url: URL, endpoint: string): string[] {
  const rest = url.pathname.startsWith(`${endpoint}/`)
    ? url.pathname.slice(endpoint.length + 1)
    : '';
  return decodeURIComponent(rest).split(',').filter(Boolean);
}

export function isBatch(url: URL): boolean {
  return url.searchParams.get('batch') === '1';
}

/**
 * Sign-in and setup are answered one per request: a batch would run its password checks in
 * parallel, and one request could try hundreds of passwords.
 */
export function checkBatch(procedures: ReadonlyArray<string>): void {
  if (procedures.length > 1 && procedures.some((path) => path.startsWith('auth.')))
    throw new TrpcRefusal('BAD_REQUEST', 'Send sign-in calls one per request, not in a batch.');
}

/** Refuses a Host the dashboard does not go by (DNS rebinding); see allowed-hosts.ts. */
export function checkHost(request: Request, allowed: ReadonlyArray<string>): void {
  const host = request.headers.get('host') ?? new URL(request.url).host;
  if (!isAllowedHost(host, allowed))
    throw new TrpcRefusal(
      'FORBIDDEN',
      'This server does not answer to that host name. Set SWITCHYARD_PUBLIC_URL to the address it is reached at.',
    );
}
