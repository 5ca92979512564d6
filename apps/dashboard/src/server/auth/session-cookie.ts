// The session cookie: an opaque random token (stored hashed by the db), httpOnly so scripts
// cannot read it, SameSite=Lax so other sites cannot ride on it.
export const SESSION_COOKIE = 'switchyard_session';
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function serializeSessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    `Max-Age=${Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000))}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The session token from a Cookie header, if any. */
export function readSessionToken(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(index + 1).trim();
    if (!value) return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Secure when asked for, and whenever people reach the dashboard over https. */
export function wantsSecureCookies(settings: {
  secureCookies: boolean;
  publicUrl?: string | undefined;
}): boolean {
  return settings.secureCookies || (settings.publicUrl?.startsWith('https:') ?? false);
}
