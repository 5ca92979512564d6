import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../../../server/api/root.ts';
import { createTrpcContext } from '../../../../server/api/trpc.ts';
import { getServices } from '../../../../server/services.ts';
import { env } from '../../../../env.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) =>
      createTrpcContext({ headers: request.headers, resHeaders, services: getServices, secureCookies: env().SWITCHYARD_SECURE_COOKIES }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
