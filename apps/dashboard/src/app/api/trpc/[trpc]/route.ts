import { handleTrpcRequest } from '../../../../server/api/index.ts';
import { getServices } from '../../../../server/services.ts';
import { env } from '../../../../env.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(request: Request): Promise<Response> {
  return handleTrpcRequest(request, {
    services: getServices,
    secureCookies: () => env().SWITCHYARD_SECURE_COOKIES,
    trustedProxies: () => env().SWITCHYARD_TRUSTED_PROXIES,
  });
}

export { handler as GET, handler as POST };
