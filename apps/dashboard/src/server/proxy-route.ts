// The REST proxy mounted in Next.js route handlers: every method goes to the gateway runtime,
// after the open-gateway rule (no API key yet: clients on this machine only).
import type { GatewayRuntime } from '@switchyard/runtime';
import { env } from '../env.ts';
import { clientAddressOf } from './auth/client-address.ts';
import { openProxyRefusal } from './open-proxy-guard.ts';
import { getServices } from './services.ts';

export async function proxyToGateway(request: Request): Promise<Response> {
  const { runtime } = await getServices();
  return answerProxy(request, runtime, env().SWITCHYARD_TRUSTED_PROXIES);
}

/** One proxied request: refused while no key exists and the caller is not local, else answered. */
export function answerProxy(
  request: Request,
  runtime: Pick<GatewayRuntime, 'handle' | 'refuseWhileOpen'>,
  trustedProxies: ReadonlyArray<string>,
): Promise<Response> {
  const address = clientAddressOf(request.headers, trustedProxies);
  const refusal = openProxyRefusal(runtime, new URL(request.url).pathname, address);
  if (refusal) return Promise.resolve(Response.json(refusal.toJSON(), { status: refusal.status }));
  return runtime.handle(request);
}
