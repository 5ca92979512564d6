// Runs before every page and API route Next.js serves: refuses Host names the dashboard does not
// go by (DNS rebinding against a fresh instance on localhost).
import { NextResponse, type NextRequest } from 'next/server';
import { env } from './env.ts';
import { allowedHostnames, isAllowedHost } from './server/auth/allowed-hosts.ts';

export function proxy(request: NextRequest): NextResponse {
  const settings = env();
  const allowed = allowedHostnames({
    publicUrl: settings.SWITCHYARD_PUBLIC_URL,
    listenHost: settings.HOST,
  });
  if (!isAllowedHost(request.headers.get('host'), allowed))
    return new NextResponse(
      'This server does not answer to that host name. Set SWITCHYARD_PUBLIC_URL to the address it is reached at.\n',
      { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } },
    );
  return NextResponse.next();
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
