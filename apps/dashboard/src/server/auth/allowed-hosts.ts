// Which Host headers the dashboard answers: the localhost names, the listen address and the
// configured public URL's host. Anything else is a name someone pointed at this server — the
// DNS-rebinding attack, where a page on attacker.example re-resolves its own name to 127.0.0.1
// and then talks to a fresh instance as if it were same-origin.
import { isIP } from 'node:net';

export interface AllowedHostsSettings {
  /** SWITCHYARD_PUBLIC_URL. */
  publicUrl?: string | undefined;
  /** HOST, the listen address. */
  listenHost?: string | undefined;
}

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/** The host names (lower-case, no port, IPv6 without brackets) accepted in the Host header. */
export function allowedHostnames(settings: AllowedHostsSettings): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  const listen = settings.listenHost?.trim().toLowerCase();
  if (listen && !WILDCARD_ADDRESSES.has(listen)) names.push(stripBrackets(listen));
  if (settings.publicUrl) names.push(stripBrackets(new URL(settings.publicUrl).hostname));
  return [...new Set(names)];
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The host name of a Host header value (`name:port`, `[v6]:port`), lower-case. */
export function hostnameOf(hostHeader: string): string | undefined {
  try {
    return stripBrackets(new URL(`http://${hostHeader.trim()}`).hostname.toLowerCase());
  } catch {
    return undefined;
  }
}

export function isAllowedHost(hostHeader: string | null, allowed: ReadonlyArray<string>): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (!name) return false;
  if (allowed.includes(name)) return true;
  // `*.localhost` always resolves to the loopback interface (RFC 6761), as does 127.0.0.0/8.
  if (name.endsWith('.localhost')) return true;
  return isIP(name) === 4 && name.startsWith('127.');
}
