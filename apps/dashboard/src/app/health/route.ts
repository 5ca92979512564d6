import { proxyToGateway } from '../../server/proxy-route.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export {
  proxyToGateway as GET,
  proxyToGateway as POST,
  proxyToGateway as PUT,
  proxyToGateway as PATCH,
  proxyToGateway as DELETE,
  proxyToGateway as OPTIONS,
  proxyToGateway as HEAD,
};
