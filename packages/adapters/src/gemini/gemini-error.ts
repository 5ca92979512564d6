// Gemini errors (Google RPC status bodies, wire-protocols.md §4.5) → UpstreamError. The RPC
// status and the ErrorInfo reason decide the kind; RetryInfo.retryDelay is the retry hint.
import { parseJsonSafe, UpstreamError, type UpstreamErrorKind } from '@switchyard/core';
import {
  classifyStatus,
  looksLikeContextLength,
  parseDurationString,
  parseRetryAfter,
  type HttpResponse,
} from '../http/index.ts';
import { isGeminiErrorBody, type GeminiErrorBody, type GeminiErrorDetail } from './gemini-api.ts';

type GeminiErrorPayload = NonNullable<GeminiErrorBody['error']>;

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

function detailsOf(payload: GeminiErrorPayload): GeminiErrorDetail[] {
  return Array.isArray(payload.details) ? payload.details : [];
}

function classify(httpStatus: number, payload: GeminiErrorPayload): UpstreamErrorKind {
  const message = payload.message;
  const reasons = detailsOf(payload)
    .filter((detail) => detail['@type'] === ERROR_INFO)
    .map((detail) => detail.reason);
  switch (payload.status) {
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
    case 'FAILED_PRECONDITION':
      // FAILED_PRECONDITION: billing or region problems of the account; another provider can serve
      return 'auth';
    case 'NOT_FOUND':
      return 'not_found';
    case 'INVALID_ARGUMENT':
      if (reasons.includes('API_KEY_INVALID')) return 'auth';
      return looksLikeContextLength(message) ? 'context_length' : 'bad_request';
    case 'INTERNAL':
      // Google lists too-long input among the causes of INTERNAL
      return looksLikeContextLength(message) ? 'context_length' : 'server';
    default:
      return classifyStatus(httpStatus, message);
  }
}

/** A daily or otherwise long quota is spent: retrying soon will not help. */
function isQuotaExhausted(payload: GeminiErrorPayload): boolean {
  return detailsOf(payload).some(
    (detail) =>
      detail['@type'] === QUOTA_FAILURE &&
      (detail.violations ?? []).some((violation) =>
        /PerDay|PerMonth/i.test(violation.quotaId ?? ''),
      ),
  );
}

function retryDelayOf(payload: GeminiErrorPayload): number | undefined {
  const retryInfo = detailsOf(payload).find((detail) => detail['@type'] === RETRY_INFO);
  return parseDurationString(retryInfo?.retryDelay);
}

/** Builds the UpstreamError for a Gemini error object (from a non-2xx body or a stream chunk). */
export function geminiErrorFromPayload(
  payload: GeminiErrorPayload,
  httpStatus: number,
  provider: string,
  retryAfterHeaderMs?: number,
): UpstreamError {
  const kind = classify(httpStatus, payload);
  const retryAfterMs = retryDelayOf(payload) ?? retryAfterHeaderMs;
  return new UpstreamError({
    kind,
    status: httpStatus,
    code: payload.status,
    message: `Gemini: ${payload.message ?? `HTTP ${httpStatus}`}`,
    provider,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(kind === 'rate_limited' && isQuotaExhausted(payload) ? { retryable: false } : {}),
  });
}

/** The UpstreamError for a non-2xx answer whose body has been read. */
export function geminiErrorFromResponse(
  response: Pick<HttpResponse, 'status' | 'headers'>,
  bodyText: string,
  provider: string,
): UpstreamError {
  const body = parseJsonSafe(bodyText);
  const payload: GeminiErrorPayload = isGeminiErrorBody(body)
    ? body.error
    : { code: response.status, message: bodyText.slice(0, 500) || `HTTP ${response.status}` };
  return geminiErrorFromPayload(
    payload,
    response.status,
    provider,
    parseRetryAfter(response.headers),
  );
}
