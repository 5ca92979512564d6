// The REST proxy branch of the production server (server.ts): /v1/*, /health, /health/*,
// /metrics go straight to the gateway's node:http handler, before Next.js sees them. Its own
// module so tests can serve requests exactly as `pnpm start` does without a Next.js build.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRuntime } from '@switchyard/runtime';
import { GatewayError } from '@switchyard/core/spec';
import { getServices } from './services.ts';
import { nodeClientAddress, openProxyRefusal } from './open-proxy-guard.ts';

const PROXY_PATH = /^\/(?:v1\/|health(?:[/?]|$)|metrics(?:\?|$))/;

/** Whether the REST proxy serves this request URL (path and query). */
export function isProxyRequest(url: string | undefined): boolean {
  return PROXY_PATH.test(url ?? '/');
}

/** Sends the open-gateway refusal; true when the request was refused. */
function refusedWhileOpen(
  runtime: Pick<GatewayRuntime, 'refuseWhileOpen'>,
  request: IncomingMessage,
  response: ServerResponse,
  trustedProxies: ReadonlyArray<string>,
): boolean {
  const pathname = (request.url ?? '/').split('?', 1)[0] ?? '/';
  const address = nodeClientAddress(request, trustedProxies);
  const refusal = openProxyRefusal(runtime, pathname, address);
  if (!refusal) return false;
  response.writeHead(refusal.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(refusal.toJSON()));
  return true;
}

/** Serves one proxied request through the process's gateway runtime (503 when it cannot start). */
export function serveProxy(
  request: IncomingMessage,
  response: ServerResponse,
  trustedProxies: ReadonlyArray<string>,
): void {
  getServices()
    .then((services) => {
      if (refusedWhileOpen(services.runtime, request, response, trustedProxies)) return;
      return services.runtime.handleNode(request, response);
    })
    .catch((error: unknown) => {
      console.error('switchyard: the REST proxy failed:', error);
      if (!response.headersSent) {
        response.writeHead(503, { 'content-type': 'application/json' });
        const unavailable = new GatewayError({
          status: 503,
          type: 'service_unavailable',
          code: 'gateway_unavailable',
          message: 'The gateway is not available',
        });
        response.end(JSON.stringify(unavailable.toJSON()));
      } else response.destroy();
    });
}
