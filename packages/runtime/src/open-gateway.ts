// The rule for a gateway that has no API keys yet (open mode): it says so loudly at start and
// answers loopback clients only, so a fresh install is never an open relay on the network.
import { isIP } from 'node:net';
import { GatewayError } from '@switchyard/core/spec';

export const OPEN_GATEWAY_WARNING =
  'NO API KEYS CONFIGURED: the REST proxy answers only clients on this machine until an API key exists. Create a key to serve other clients.';

/** Listen addresses that reach this machine only. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

/** `127.0.0.0/8`, `::1` and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string): boolean {
  const normalized = address.trim().toLowerCase();
  const v4 = normalized.startsWith('::ffff:') ? normalized.slice(7) : normalized;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return normalized === '::1' || normalized === '0:0:0:0:0:0:0:1';
}

/**
 * The refusal for a client while no key exists and it is not on this machine; undefined when
 * the call may go on (keys exist, or the client is local).
 */
export function openGatewayRefusal(
  keys: { readonly open: boolean },
  clientAddress: string | undefined,
): GatewayError | undefined {
  if (!keys.open) return undefined;
  if (clientAddress !== undefined && isLoopbackAddress(clientAddress)) return undefined;
  return new GatewayError({
    status: 403,
    type: 'permission_error',
    code: 'no_api_keys',
    message:
      'No API key exists yet, so this gateway answers only clients on its own machine. Create an API key to call it from elsewhere.',
  });
}
