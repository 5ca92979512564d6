// Cohere errors (`{message, id?}` bodies, wire-protocols.md §7) → UpstreamError, classified by
// status with the message text deciding context-length and spent quotas.
import { parseJsonSafe, UpstreamError, type UpstreamErrorKind } from '@switchyard/core';
import { classifyStatus, parseRetryAfter, type HttpResponse } from '../http/index.ts';
import { cohereErrorMessage } from './cohere-api.ts';

/** Trial keys have a monthly call allowance: once spent, retrying soon will not help. */
const QUOTA_SPENT = /trial key|per month|monthly limit/i;

function classify(status: number, message: string): UpstreamErrorKind {
  // 499: the request was cancelled upstream; another attempt is a fresh request
  if (status === 499) return 'server';
  return classifyStatus(status, message);
}

export function cohereErrorFromResponse(
  response: Pick<HttpResponse, 'status' | 'headers'>,
  bodyText: string,
  provider: string,
): UpstreamError {
  const message =
    cohereErrorMessage(parseJsonSafe(bodyText)) ??
    (bodyText.slice(0, 500) || `HTTP ${response.status}`);
  const kind = classify(response.status, message);
  const retryAfterMs = parseRetryAfter(response.headers);
  let retryable: boolean | undefined;
  if (kind === 'rate_limited' && QUOTA_SPENT.test(message)) retryable = false;
  // 501: the model or feature is not implemented there; retrying the same provider cannot help
  if (response.status === 501) retryable = false;
  return new UpstreamError({
    kind,
    status: response.status,
    code: String(response.status),
    message: `Cohere: ${message}`,
    provider,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(retryable !== undefined ? { retryable } : {}),
  });
}
