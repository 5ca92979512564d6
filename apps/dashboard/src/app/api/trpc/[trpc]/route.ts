import { handleTrpcRequest } from '../../../../server/api/index.ts';
import { getServices } from '../../../../server/services.ts';
import { env } from '../../../../env.ts';
import { allowedHostnames } from '../../../../server/auth/allowed-hosts.ts';
import { wantsSecureCookies } from '../../../../server/auth/session-cookie.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(request: Request): Promise<Response> {
  return handleTrpcRequest(request, {
    services: getServices,
    secureCookies: () =>
      wantsSecureCookies({
        secureCookies: env().SWITCHYARD_SECURE_COOKIES,
        publicUrl: env().SWITCHYARD_PUBLIC_URL,
      }),
    trustedProxies: () => env().SWITCHYARD_TRUSTED_PROXIES,
    allowedHosts: () =>
      allowedHostnames({ publicUrl: env().SWITCHYARD_PUBLIC_URL, listenHost: env().HOST }),
    publicUrl: () => env().SWITCHYARD_PUBLIC_URL,
  });
}

export { handler as GET, handler as POST };
