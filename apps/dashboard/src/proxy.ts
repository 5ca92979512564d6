// Runs before every page and API route Next.js serves: refuses Host names the dashboard does not
// go by (DNS rebinding against a fresh instance on localhost) and adds the security headers.
import { NextResponse, type NextRequest } from 'next/server';
import { env } from './env.ts';
import { allowedHostnames, isAllowedHost } from './server/auth/allowed-hosts.ts';
import { securityHeaders } from './server/auth/security-headers.ts';

export function proxy(request: NextRequest): NextResponse {
  const settings = env();
  const allowed = allowedHostnames({
    publicUrl: settings.SWITCHYARD_PUBLIC_URL,
    listenHost: settings.HOST,
  });
  const response = isAllowedHost(request.headers.get('host'), allowed)
    ? NextResponse.next()
    : new NextResponse(
        'This server does not answer to that host name. Set SWITCHYARD_PUBLIC_URL to the address it is reached at.\n',
        { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } },
      );
  const headers = securityHeaders({
    development: settings.NODE_ENV === 'development',
    publicUrl: settings.SWITCHYARD_PUBLIC_URL,
  });
  for (const [name, value] of headers) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
