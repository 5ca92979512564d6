// Errors of custom endpoints → UpstreamError. Their bodies have no known shape, so the message is
// looked for where APIs commonly put it, and the status (plus that text) decides the kind.
import { parseJsonSafe, UpstreamError } from '@switchyard/core';
import { classifyStatus, parseRetryAfter, type HttpResponse } from '../http/index.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The message and code of an error value: `{error: {message, code|type}}`, `{error: "…"}`, `{message}`, `{detail}`. */
export function describeCustomError(value: unknown): { message?: string; code?: string } {
  if (typeof value === 'string') return { message: value };
  if (!isObject(value)) return {};
  const inner = value.error;
  if (typeof inner === 'string') return { message: inner };
  if (isObject(inner)) {
    const code =
      typeof inner.code === 'string'
        ? inner.code
        : typeof inner.type === 'string'
          ? inner.type
          : undefined;
    return {
      ...(typeof inner.message === 'string' ? { message: inner.message } : {}),
      ...(code ? { code } : {}),
    };
  }
  if (typeof value.message === 'string') return { message: value.message };
  if (typeof value.detail === 'string') return { message: value.detail };
  return {};
}

export function customErrorFromResponse(
  response: Pick<HttpResponse, 'status' | 'headers'>,
  bodyText: string,
  provider: string,
): UpstreamError {
  const described = describeCustomError(parseJsonSafe(bodyText));
  const message = described.message ?? (bodyText.slice(0, 500) || `HTTP ${response.status}`);
  const retryAfterMs = parseRetryAfter(response.headers);
  return new UpstreamError({
    kind: classifyStatus(response.status, message),
    status: response.status,
    message: `${provider}: ${message}`,
    provider,
    ...(described.code ? { code: described.code } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** A request field the configured mapping cannot carry: refused before sending, so the router can try another provider. */
export function customUnsupported(param: string, provider: string, detail?: string): UpstreamError {
  return new UpstreamError({
    kind: 'bad_request',
    status: 400,
    code: 'unsupported_parameter',
    param,
    retryable: false,
    provider,
    message: `The custom endpoint ${provider} does not support ${detail ?? param}`,
  });
}
