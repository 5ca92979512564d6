// Request and response bodies for the request log, kept only when an operator turned body
// logging on: values that look like credentials are masked, inline images shortened, and each
// body capped in size (a preview of its start is kept, with its full length).

export interface BodyLogging {
  /** The most bytes of JSON kept per body; larger bodies keep a preview of this length. */
  maxBytes: number;
}

/** The global body-logging setting (Settings, or off for a gateway without one). */
export interface BodyLoggingSettings {
  enabled: boolean;
  maxBytes: number;
}

export const DEFAULT_BODY_LOG_MAX_BYTES = 32_768;
export const MASKED = '[redacted]';

/** Fields whose values are credentials whatever they look like. */
const SECRET_FIELD =
  /^(?:api[-_]?key|x-api-key|authorization|password|passwd|secret|client[-_]?secret|secret[-_]?(?:access[-_]?)?key|(?:access|refresh|session|id|auth)[-_]?token|token)$/i;

/**
 * Credentials pasted into prompts or tool arguments, by their published shapes: `sk-` keys
 * (Switchyard's and several vendors'), cloud access key ids, `AIza` API keys, GitHub and Slack
 * tokens, JWTs, and bearer tokens.
 */
const SECRET_VALUE =
  /\bsk-[A-Za-z0-9_-]{16,}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}|\bgh[pousr]_[A-Za-z0-9]{36,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g;

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(;base64)?,/;

/**
 * Whether one request's bodies are kept, and how: the key's choice wins over the route's, which
 * wins over the global setting; undefined (inherit) at one level defers to the next.
 */
export function bodyLoggingFor(
  settings: BodyLoggingSettings,
  route: boolean | undefined,
  key: boolean | undefined,
): BodyLogging | undefined {
  const enabled = key ?? route ?? settings.enabled;
  return enabled ? { maxBytes: settings.maxBytes } : undefined;
}

/** The body as the request log keeps it (undefined for nothing to keep). */
export function captureBody(value: unknown, logging: BodyLogging): unknown {
  if (value === undefined) return undefined;
  const masked = mask(value);
  const text = JSON.stringify(masked);
  if (text === undefined) return undefined;
  const bytes = Buffer.byteLength(text);
  if (bytes <= logging.maxBytes) return masked;
  return { truncated: true, bytes, preview: utf8Prefix(text, logging.maxBytes) };
}

function mask(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(mask);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value))
    result[name] = SECRET_FIELD.test(name) && field !== null && field !== '' ? MASKED : mask(field);
  return result;
}

function maskText(text: string): string {
  const dataUrl = DATA_URL.exec(text);
  // An inline image or file says what it was, not its bytes.
  if (dataUrl) return `${dataUrl[0]}[${text.length - dataUrl[0].length} characters]`;
  return text.replace(SECRET_VALUE, MASKED);
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  let end = Math.min(maxBytes, buffer.length);
  // Step back over continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 && end < buffer.length && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString('utf8');
}
