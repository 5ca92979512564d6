// Classifies Anthropic errors (HTTP answers and in-stream `error` events) into UpstreamErrors.
import { parseJsonSafe, UpstreamError, type UpstreamErrorKind } from '@switchyard/core';
import {
  classifyStatus,
  looksLikeContextLength,
  parseRetryAfter,
  type HttpResponse,
} from '../http/index.ts';
import { readAnthropicError, type AnthropicErrorPayload } from './anthropic-api.ts';

const KIND_BY_ERROR_TYPE: Readonly<Record<string, UpstreamErrorKind>> = {
  authentication_error: 'auth',
  permission_error: 'auth',
  billing_error: 'auth',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limited',
  overloaded_error: 'overloaded',
  api_error: 'server',
  timeout_error: 'timeout',
  request_too_large: 'bad_request',
};

/** Spend-limit 429s: waiting a few seconds will not help. */
const NON_RETRYABLE_ERROR_CODES = new Set(['enforced_spend_limit_reached']);

function kindOf(
  payload: AnthropicErrorPayload | undefined,
  status: number | undefined,
): UpstreamErrorKind {
  if (payload?.type === 'invalid_request_error') {
    return looksLikeContextLength(payload.message) ? 'context_length' : 'bad_request';
  }
  const byType = payload ? KIND_BY_ERROR_TYPE[payload.type] : undefined;
  if (byType) return byType;
  return status === undefined ? 'server' : classifyStatus(status, payload?.message);
}

export function anthropicError(
  payload: AnthropicErrorPayload | undefined,
  context: { provider: string; status?: number; retryAfterMs?: number; fallbackMessage?: string },
): UpstreamError {
  const kind = kindOf(payload, context.status);
  const nonRetryable =
    payload?.errorCode !== undefined && NON_RETRYABLE_ERROR_CODES.has(payload.errorCode);
  return new UpstreamError({
    kind,
    message:
      payload?.message ||
      context.fallbackMessage ||
      `Anthropic answered ${context.status ?? 'with an error'}`,
    status: context.status,
    retryAfterMs: context.retryAfterMs,
    retryable: nonRetryable ? false : undefined,
    provider: context.provider,
    code: payload?.errorCode ?? payload?.type,
  });
}

/** The UpstreamError for a non-2xx answer whose body has been read. */
export function anthropicErrorFromResponse(
  response: HttpResponse,
  bodyText: string,
  provider: string,
): UpstreamError {
  const payload = readAnthropicError(parseJsonSafe(bodyText));
  return anthropicError(payload, {
    provider,
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers),
    fallbackMessage: bodyText.trim().slice(0, 200) || `HTTP ${response.status}`,
  });
}
