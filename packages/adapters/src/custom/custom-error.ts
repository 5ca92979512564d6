// Errors of custom endpoints → UpstreamError. Their bodies have no known shape, so the message is
// looked for where APIs commonly put it, and the status (plus that text) decides the kind.
import { parseJsonSafe, UpstreamError } from '@switchyard/core';
import { classifyStatus, parseRetryAfter, type HttpResponse } from '../http/index.ts';
import { isJsonObject } from '../shared/index.ts';

/** The message and code of an error value: `{error: {message, code|type}}`, `{error: "…"}`, `{message}`, `{detail}`. */
export function describeCustomError(value: unknown): { message?: string; code?: string } {
  if (typeof value === 'string') return { message: value };
  if (!isJsonObject(value)) return {};
  const inner = value.error;
  if (typeof inner === 'string') return { message: inner };
  if (isJsonObject(inner)) {
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
