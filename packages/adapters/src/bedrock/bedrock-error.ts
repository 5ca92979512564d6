// Classifies Bedrock errors into UpstreamErrors: HTTP answers (exception name in the
// `x-amzn-ErrorType` header or the body's `__type`) and exception frames inside a ConverseStream.
import { parseJsonSafe, UpstreamError, type UpstreamErrorKind } from '@switchyard/core';
import {
  classifyStatus,
  headerValue,
  looksLikeContextLength,
  parseRetryAfter,
  type HttpResponse,
} from '../http/index.ts';
import { isJsonObject } from '../shared/index.ts';
import { readBedrockErrorMessage } from './bedrock-api.ts';

const KIND_BY_EXCEPTION: Readonly<Record<string, UpstreamErrorKind>> = {
  ThrottlingException: 'rate_limited',
  ServiceQuotaExceededException: 'rate_limited',
  ServiceUnavailableException: 'overloaded',
  ModelNotReadyException: 'overloaded',
  ModelTimeoutException: 'timeout',
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  IncompleteSignatureException: 'auth',
  MissingAuthenticationTokenException: 'auth',
  ExpiredTokenException: 'auth',
  ResourceNotFoundException: 'not_found',
  InternalServerException: 'server',
  ModelErrorException: 'server',
  ModelStreamErrorException: 'server',
};

/** Quota errors that waiting will not fix. */
const NON_RETRYABLE_EXCEPTIONS = new Set(['ServiceQuotaExceededException']);

/** Bedrock answers an unknown or inaccessible model id with a ValidationException carrying this text. */
const UNKNOWN_MODEL = /model identifier is invalid|model id.*(?:not|isn't) (?:supported|found)/i;

/**
 * The bare exception name: `ThrottlingException:http://internal.amazon.com/…` (header),
 * `com.amazon.coral.service#ThrottlingException` (body) and `throttlingException` (stream frame)
 * all become `ThrottlingException`.
 */
export function bedrockExceptionName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw.split(':', 1)[0]?.split('#').pop()?.trim();
  if (!name) return undefined;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function kindOf(
  name: string | undefined,
  message: string | undefined,
  status: number | undefined,
): UpstreamErrorKind {
  if (name === 'ValidationException') {
    if (looksLikeContextLength(message)) return 'context_length';
    return message !== undefined && UNKNOWN_MODEL.test(message) ? 'not_found' : 'bad_request';
  }
  const byName = name === undefined ? undefined : KIND_BY_EXCEPTION[name];
  if (byName) return byName;
  return status === undefined ? 'server' : classifyStatus(status, message);
}

export function bedrockError(
  exception: string | undefined,
  message: string | undefined,
  context: { provider: string; status?: number; retryAfterMs?: number },
): UpstreamError {
  const name = bedrockExceptionName(exception);
  return new UpstreamError({
    kind: kindOf(name, message, context.status),
    message: message || name || `Bedrock answered ${context.status ?? 'with an error'}`,
    status: context.status,
    retryAfterMs: context.retryAfterMs,
    retryable: name !== undefined && NON_RETRYABLE_EXCEPTIONS.has(name) ? false : undefined,
    provider: context.provider,
    code: name,
  });
}

/** The UpstreamError for a non-2xx answer whose body has been read. */
export function bedrockErrorFromResponse(
  response: HttpResponse,
  bodyText: string,
  provider: string,
): UpstreamError {
  const body = parseJsonSafe(bodyText);
  const bodyType = isJsonObject(body) && typeof body.__type === 'string' ? body.__type : undefined;
  const message = readBedrockErrorMessage(body) ?? (bodyText.trim().slice(0, 200) || undefined);
  return bedrockError(headerValue(response.headers, 'x-amzn-errortype') ?? bodyType, message, {
    provider,
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers),
  });
}
