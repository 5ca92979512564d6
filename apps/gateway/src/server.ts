// The standalone HTTP server: node:http around the gateway's node handler, with graceful
// shutdown (stop accepting, let in-flight requests finish within a bound, then close), and
// bounds on what a slow or greedy client can hold: header and body deadlines, idle keep-alive
// connections, and open connections per client address.
import { listen } from '@switchyard/runtime';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

export interface ServerLimits {
  /** Time a client has to send its request headers (ms). */
  headersTimeoutMs: number;
  /**
   * Time a client has to send its whole request, body included (ms). Only receiving the request
   * is bounded: answers and streams run as long as their route's deadlines allow.
   */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long (ms). */
  keepAliveTimeoutMs: number;
  /** Connections one client address may hold open; more are closed at once. */
  maxConnectionsPerClient: number;
  /** How often the header and request deadlines are checked (ms). */
  timeoutCheckIntervalMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
  maxConnectionsPerClient: 256,
  timeoutCheckIntervalMs: 1_000,
};

export async function startGatewayServer(
  runtime: GatewayRuntime,
  options: { port: number; host: string; logger?: Logger; limits?: Partial<ServerLimits> },
): Promise<GatewayServer> {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  };
  const server = createServer(serverOptions, (request, response) => {
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
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  limitConnectionsPerClient(server, limits.maxConnectionsPerClient, options.logger);

  await listen(server, options.port, options.host);
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

/** Closes connections beyond `max` from one address at once (a warning at most every 10 s). */
function limitConnectionsPerClient(server: Server, max: number, logger: Logger | undefined): void {
  const open = new Map<string, number>();
  let lastWarning = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      if (Date.now() - lastWarning >= 10_000) {
        lastWarning = Date.now();
        logger?.warn({ address, max }, 'too many connections from one client address: refused');
      }
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
