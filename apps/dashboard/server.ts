// The dashboard's production server (`pnpm start`): Next.js serves the pages and the tRPC API;
// the REST proxy (/v1/*, /health, /health/*, /metrics) goes straight to the gateway's node:http
// handler — the same handler the standalone gateway runs — so the data plane pays no Next.js
// request or web-stream overhead. Route handlers under src/app mount the same proxy for
// `next dev` and other hosts.
import { createServer } from 'node:http';
import next from 'next';
import { listen } from '@switchyard/runtime';
import { env } from './src/env.ts';
import { stampClientAddress } from './src/server/auth/client-address.ts';
import { isProxyRequest, serveProxy } from './src/server/proxy-server.ts';

// A closed terminal or a supervisor that went away: output is dropped, never an uncaught EPIPE
// that ends the process in the middle of requests.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

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

const server = createServer((request, response) => {
  stampClientAddress(request);
  if (isProxyRequest(request.url)) {
    serveProxy(request, response, settings.SWITCHYARD_TRUSTED_PROXIES);
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
