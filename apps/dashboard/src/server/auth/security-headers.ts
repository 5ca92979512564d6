// The response headers every dashboard page and API route carries: no framing (clickjacking),
// no MIME sniffing, no referrer beyond this origin, and a content security policy that keeps
// scripts, styles and connections to this origin.
export interface SecurityHeaderSettings {
  /** `next dev` evaluates code for hot reloading, which a strict policy would block. */
  development: boolean;
  /** SWITCHYARD_PUBLIC_URL: over https, browsers are told to stay on https. */
  publicUrl?: string | undefined;
}

function contentSecurityPolicy(development: boolean): string {
  // Next.js streams its payload in inline scripts; without per-request nonces they need
  // 'unsafe-inline'. Nothing is loaded from another origin.
  const scripts = ["'self'", "'unsafe-inline'", ...(development ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(settings: SecurityHeaderSettings): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['content-security-policy', contentSecurityPolicy(settings.development)],
    ['x-frame-options', 'DENY'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'same-origin'],
    ['cross-origin-opener-policy', 'same-origin'],
  ];
  if (settings.publicUrl?.startsWith('https:'))
    headers.push(['strict-transport-security', 'max-age=31536000']);
  return headers;
}
