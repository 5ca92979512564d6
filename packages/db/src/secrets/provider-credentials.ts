// Credentials outside a provider's dedicated secret fields: `config.headers` values and the
// userinfo and query of its endpoint URL. They are stored encrypted; everything that shows a
// provider (the dashboard, the audit log, exports) sees them masked, and a masked value sent
// back means "keep the stored one", so forms and exports round-trip without the secrets.
import type { SecretBox } from './secret-box.ts';

/** What a masked credential reads as. */
export const MASKED = '********';

type Headers = Record<string, string>;

function isHeaders(value: unknown): value is Headers {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

/** Header names kept, values masked. */
export function maskHeaders(headers: unknown): Headers | undefined {
  if (!isHeaders(headers)) return undefined;
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED]));
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Whether the URL carries a user, a password or a query (tokens often travel in one). */
export function hasUrlCredentials(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== undefined &&
    (parsed.username !== '' || parsed.password !== '' || parsed.search !== '')
  );
}

/** The URL with its user, password and every query value masked. */
export function maskUrl(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed || !hasUrlCredentials(url)) return url;
  if (parsed.username) parsed.username = MASKED;
  if (parsed.password) parsed.password = MASKED;
  for (const name of new Set(parsed.searchParams.keys())) parsed.searchParams.set(name, MASKED);
  return parsed.toString();
}

/** Column values for an endpoint and headers: masked in clear, the real ones encrypted. */
export function sealProviderCredentials(
  endpoint: string | undefined,
  headers: unknown,
  secrets: SecretBox,
) {
  const sealedEndpoint = endpoint !== undefined && hasUrlCredentials(endpoint);
  const sealedHeaders = isHeaders(headers) && Object.keys(headers).length > 0;
  return {
    endpoint: endpoint === undefined ? null : maskUrl(endpoint),
    endpointCipher: sealedEndpoint ? secrets.encrypt(endpoint) : null,
    headers: sealedHeaders ? maskHeaders(headers) : undefined,
    headersCipher: sealedHeaders ? secrets.encrypt(JSON.stringify(headers)) : null,
  };
}

/** The stored headers, decrypted. */
export function openHeaders(cipher: string, secrets: SecretBox): Headers {
  const value: unknown = JSON.parse(secrets.decrypt(cipher));
  if (!isHeaders(value))
    throw new Error('The stored provider headers are not a JSON object of strings');
  return value;
}

/** A patch's headers with masked values replaced by the stored ones (same header name). */
export function keepMaskedHeaders(patched: unknown, stored: unknown): unknown {
  if (!isHeaders(patched)) return patched;
  const current = isHeaders(stored) ? stored : {};
  return Object.fromEntries(
    Object.entries(patched).map(([name, value]) => [
      name,
      value === MASKED && current[name] !== undefined ? current[name] : value,
    ]),
  );
}

/** A patch's endpoint: the stored one when the patch sends back its masked form. */
export function keepMaskedEndpoint(patched: unknown, stored: string | undefined): unknown {
  return typeof patched === 'string' && stored !== undefined && patched === maskUrl(stored)
    ? stored
    : patched;
}
