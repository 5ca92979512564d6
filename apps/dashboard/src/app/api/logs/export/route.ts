import { handleLogsExport } from '../../../../server/api/logs-export.ts';
import { getServices } from '../../../../server/services.ts';
import { env } from '../../../../env.ts';
import { allowedHostnames } from '../../../../server/auth/allowed-hosts.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleLogsExport(request, {
    services: getServices,
    allowedHosts: () =>
      allowedHostnames({ publicUrl: env().SWITCHYARD_PUBLIC_URL, listenHost: env().HOST }),
  });
}
