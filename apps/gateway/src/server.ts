// The standalone HTTP server: node:http around the gateway's node handler, with graceful
// shutdown (stop accepting, let in-flight requests finish within a bound, then close).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { GatewayError } from '@switchyard/core';
import type { GatewayRuntime } from '@switchyard/runtime';

export interface GatewayServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** Requests being served right now. */
  readonly inFlight: number;
  /** Stops accepting, waits up to `graceMs` for in-flight requests, then closes every connection. */
  shutdown(graceMs: number): Promise<void>;
}

export async function startGatewayServer(
  runtime: GatewayRuntime,
  options: { port: number; host: string; logger?: Logger },
): Promise<GatewayServer> {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server = createServer((request, response) => {
    inFlight++;
    response.on('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    runtime.handleNode(request, response).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'request handler failed');
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        const internal = new GatewayError({
          status: 500,
          type: 'server_error',
          code: 'internal_error',
          message: 'Internal error',
        });
        response.end(JSON.stringify(internal.toJSON()));
      } else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    server,
    url: `http://${host}:${address.port}`,
    port: address.port,
    get inFlight() {
      return inFlight;
    },
    async shutdown(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
