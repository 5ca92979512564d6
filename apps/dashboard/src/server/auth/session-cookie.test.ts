import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  readSessionToken,
  serializeSessionCookie,
  wantsSecureCookies,
} from './session-cookie.ts';

describe('session cookie', () => {
  it('is httpOnly, SameSite and Secure only when asked', () => {
    const cookie = serializeSessionCookie('a b', new Date(Date.now() + 60_000), false);
    expect(cookie).toMatch(/^switchyard_session=a%20b; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(cookie).not.toContain('Secure');
    expect(serializeSessionCookie('x', new Date(Date.now() + 60_000), true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
  });

  it('reads the token back from a Cookie header among others', () => {
    expect(readSessionToken('theme=dark; switchyard_session=a%20b; other=1')).toBe('a b');
    expect(readSessionToken('theme=dark')).toBeUndefined();
    expect(readSessionToken('switchyard_session=')).toBeUndefined();
    expect(readSessionToken(null)).toBeUndefined();
  });

  it('is Secure whenever the public URL is https', () => {
    expect(wantsSecureCookies({ secureCookies: false, publicUrl: 'https://sy.example.com' })).toBe(
      true,
    );
    expect(wantsSecureCookies({ secureCookies: false, publicUrl: 'http://localhost:3000' })).toBe(
      false,
    );
    expect(wantsSecureCookies({ secureCookies: true })).toBe(true);
    expect(wantsSecureCookies({ secureCookies: false })).toBe(false);
  });
});
