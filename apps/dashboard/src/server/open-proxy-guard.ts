// The standalone gateway's open-mode rule applied to the dashboard's REST proxy: while no API
// key exists, `/v1` answers only clients on this machine (the rule itself lives in the runtime).
import type { IncomingMessage } from 'node:http';
import type { GatewayError } from '@switchyard/core/spec';
import type { GatewayRuntime } from '@switchyard/runtime';
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from './auth/client-address.ts';

const INFERENCE_PATH = /^\/v1(?:\/|$)/;

/** The 403 for an inference call from elsewhere while the gateway is open; undefined otherwise. */
export function openProxyRefusal(
  runtime: Pick<GatewayRuntime, 'refuseWhileOpen'>,
  pathname: string,
  clientAddress: string,
): GatewayError | undefined {
  if (!INFERENCE_PATH.test(pathname)) return undefined;
  return runtime.refuseWhileOpen(clientAddress);
}

/** The client address of a node:http request the server has stamped (see client-address.ts). */
export function nodeClientAddress(
  request: IncomingMessage,
  trustedProxies: ReadonlyArray<string>,
): string {
  const headers = new Headers();
  for (const name of [CLIENT_ADDRESS_HEADER, 'x-forwarded-for']) {
    const value = request.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  return clientAddressOf(headers, trustedProxies);
}
