// The dashboard's production server (`pnpm start`): Next.js serves the pages and the tRPC API;
// the REST proxy (/v1/*, /health, /health/*, /metrics) goes straight to the gateway's node:http
// handler — the same handler the standalone gateway runs — so the data plane pays no Next.js
// request or web-stream overhead. Route handlers under src/app mount the same proxy for
// `next dev` and other hosts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import next from 'next';
import { listen, type GatewayRuntime } from '@switchyard/runtime';
import { GatewayError } from '@switchyard/core/spec';
import { env } from './src/env.ts';
import { getServices } from './src/server/services.ts';
import { stampClientAddress } from './src/server/auth/client-address.ts';
import { nodeClientAddress, openProxyRefusal } from './src/server/open-proxy-guard.ts';

// A closed terminal or a supervisor that went away: output is dropped, never an uncaught EPIPE
// that ends the process in the middle of requests.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const PROXY_PATH = /^\/(?:v1\/|health(?:[/?]|$)|metrics(?:\?|$))/;

const settings = env();
const app = next({
  dev: false,
  dir: import.meta.dirname,
  hostname: settings.HOST,
  port: settings.PORT,
});
// The port is bound first: a port in use ends the start with a clear message and exit code 1,
// before anything says Switchyard is running. Page requests wait for Next.js to be ready.
let markReady: (handler: ReturnType<typeof app.getRequestHandler>) => void = () => undefined;
const nextReady = new Promise<ReturnType<typeof app.getRequestHandler>>(
  (resolve) => (markReady = resolve),
);

/** Sends the open-gateway refusal; true when the request was refused. */
function refusedWhileOpen(
  runtime: Pick<GatewayRuntime, 'refuseWhileOpen'>,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  const pathname = (request.url ?? '/').split('?', 1)[0] ?? '/';
  const address = nodeClientAddress(request, settings.SWITCHYARD_TRUSTED_PROXIES);
  const refusal = openProxyRefusal(runtime, pathname, address);
  if (!refusal) return false;
  response.writeHead(refusal.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(refusal.toJSON()));
  return true;
}

const server = createServer((request, response) => {
  stampClientAddress(request);
  if (PROXY_PATH.test(request.url ?? '/')) {
    getServices()
      .then((services) => {
        if (refusedWhileOpen(services.runtime, request, response)) return;
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
    return;
  }
  nextReady
    .then((handleNext) => handleNext(request, response))
    .catch((error: unknown) => {
      console.error('switchyard: page request failed:', error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
});
server.keepAliveTimeout = 65_000;
await listen(server, settings.PORT, settings.HOST).catch((error: unknown) => {
  console.error(
    `\n  Switchyard could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
await app.prepare();
markReady(app.getRequestHandler());
