// The REST proxy mounted in Next.js route handlers: every method goes to the gateway runtime.
import { getServices } from './services.ts';

export async function proxyToGateway(request: Request): Promise<Response> {
  const { runtime } = await getServices();
  return runtime.handle(request);
}
