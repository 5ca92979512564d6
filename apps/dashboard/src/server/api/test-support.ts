// Contexts for calling the tRPC procedures directly in tests, and an HTTP server for calling them
// with a tRPC client.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Services } from '../services.ts';
import { stampClientAddress } from '../auth/client-address.ts';
import type { Session, TrpcContext } from './trpc.ts';

export const ADMIN: Session = {
  user: { id: 'u-admin', email: 'admin@example.com', role: 'admin' },
  token: 'admin-token',
  expiresAt: new Date('2100-01-01'),
};
export const VIEWER: Session = {
  user: { id: 'u-viewer', email: 'viewer@example.com', role: 'viewer' },
  token: 'viewer-token',
  expiresAt: new Date('2100-01-01'),
};

export function testContext(options: {
  session?: Session | null;
  services: () => Promise<Services>;
  apiKey?: string;
}): TrpcContext {
  return {
    services: options.services,
    session: options.session ?? null,
    apiKey: options.apiKey,
    clientAddress: '127.0.0.1',
    resHeaders: new Headers(),
    secureCookies: false,
  };
}

/** Services that record every use: a refused call must never reach them. */
export function untouchableServices(): {
  services: () => Promise<Services>;
  touched: () => number;
} {
  let count = 0;
  return {
    services: () => {
      count += 1;
      return Promise.reject(
        new Error('the services were used by a call that should have been refused'),
      );
    },
    touched: () => count,
  };
}

export interface HttpTestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a Fetch handler on node:http at 127.0.0.1 (a free port), as Next.js does: the body is
 * streamed back as it is produced (SSE), the socket address is stamped as server.ts does, and a client that goes away aborts the request's signal.
 */
export async function serveOverHttp(
  handler: (request: Request) => Promise<Response>,
): Promise<HttpTestServer> {
  const server = createServer((incoming, outgoing) => {
    const aborted = new AbortController();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) aborted.abort();
    });
    void answer(handler, incoming, outgoing, aborted.signal).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function answer(
  handler: (request: Request) => Promise<Response>,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  // As the dashboard's server does: the socket address, never the client's own claim.
  stampClientAddress(incoming);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const single of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, single);
  }
  const method = incoming.method ?? 'GET';
  const chunks: Buffer[] = [];
  if (method !== 'GET' && method !== 'HEAD')
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const request = new Request(
    `http://${incoming.headers.host ?? '127.0.0.1'}${incoming.url ?? '/'}`,
    {
      method,
      headers,
      signal,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    },
  );
  const response = await handler(request);
  for (const [name, value] of response.headers) outgoing.appendHeader(name, value);
  outgoing.writeHead(response.status);
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    if (outgoing.destroyed) {
      await reader.cancel();
      break;
    }
    outgoing.write(value);
  }
  outgoing.end();
}
