// The dashboard's tRPC API: the router, its type for clients, input/output helper types, and the
// HTTP handler mounted at `/api/trpc` (batched calls and SSE subscriptions).
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Services } from '../services.ts';
import { appRouter, type AppRouter } from './root.ts';
import { createTrpcContext } from './trpc.ts';
import { refusalResponse, TrpcRefusal } from './http-refusal.ts';
import { allowedHostnames } from '../auth/allowed-hosts.ts';
import {
  bodyLimitFor,
  checkBatch,
  checkContentType,
  checkHost,
  checkSameOrigin,
  isBatch,
  MAX_BATCH_SIZE,
  proceduresOf,
  withCappedBody,
} from './request-guards.ts';

export { appRouter, type AppRouter } from './root.ts';
export { createCallerFactory, createTrpcContext, type TrpcContext } from './trpc.ts';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const TRPC_ENDPOINT = '/api/trpc';

export interface TrpcHttpOptions {
  services: () => Promise<Services>;
  /** Read when a context is built, so a bad environment fails the call rather than the route. */
  secureCookies: () => boolean;
  /** Proxies whose X-Forwarded-For is believed; none when absent. */
  trustedProxies?: () => ReadonlyArray<string>;
  /** Host names accepted in the Host header; the localhost names when absent. */
  allowedHosts?: () => ReadonlyArray<string>;
  /** SWITCHYARD_PUBLIC_URL: its origin is accepted in the Origin header. */
  publicUrl?: () => string | undefined;
}

/** Answers one HTTP request to the tRPC API; the Next route handler and the HTTP tests share it. */
export async function handleTrpcRequest(
  request: Request,
  options: TrpcHttpOptions,
): Promise<Response> {
  const url = new URL(request.url);
  const procedures = proceduresOf(url, TRPC_ENDPOINT);
  try {
    checkHost(request, options.allowedHosts?.() ?? allowedHostnames({}));
    checkSameOrigin(request, options.publicUrl?.());
    checkContentType(request);
    checkBatch(procedures);
    return await answer(await withCappedBody(request, bodyLimitFor(procedures)), options);
  } catch (error) {
    if (error instanceof TrpcRefusal)
      return refusalResponse(error, isBatch(url), procedures.length);
    throw error;
  }
}

function answer(request: Request, options: TrpcHttpOptions): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ resHeaders, info }) =>
      createTrpcContext({
        headers: request.headers,
        resHeaders,
        services: options.services,
        secureCookies: options.secureCookies(),
        trustedProxies: options.trustedProxies?.() ?? [],
        // A key in the URL only where no header can be sent: SSE subscriptions from a browser.
        connectionParams: info.type === 'subscription' ? info.connectionParams : null,
      }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}
