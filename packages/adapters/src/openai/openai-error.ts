// Turns OpenAI-style error answers (HTTP errors and in-stream `{"error":…}` chunks) into
// UpstreamErrors that carry the routing decision.
import { parseJsonSafe, UpstreamError, type UpstreamErrorKind } from '@switchyard/core';
import {
  classifyStatus,
  looksLikeContextLength,
  parseRetryAfter,
  type HttpResponse,
} from '../http/index.ts';
import { readOpenAIError, type OpenAIErrorDetails } from './openai-api.ts';

export interface OpenAIErrorContext {
  /** Provider id, named in errors. */
  provider: string;
  /** The vendor's name in messages, e.g. `Azure OpenAI`. */
  vendor: string;
  /** Local servers: answers that mean "the model is not loaded yet / loading". */
  modelLoading?: readonly RegExp[];
}

const MESSAGE_EXCERPT = 500;

/** Azure: "Please retry after 45 seconds"; OpenAI: "Please try again in 1.5s" / "in 20ms". */
const RETRY_HINT_IN_TEXT = /(?:retry after|try again in) (\d+(?:\.\d+)?) ?(ms|s|seconds?)\b/i;

/** Codes meaning the vendor's content policy refused the request (OpenAI, Azure, DALL·E-era names). */
const CONTENT_POLICY_CODES: ReadonlySet<string> = new Set([
  'content_filter',
  'content_policy_violation',
]);

/** llama.cpp-based servers (LocalAI, llama-server) speak of the context *size*. */
const CONTEXT_SIZE = /context size/i;

function retryHintFromText(message: string): number | undefined {
  const match = RETRY_HINT_IN_TEXT.exec(message);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return Math.ceil(match[2] === 'ms' ? value : value * 1000);
}

function kindOf(
  status: number | undefined,
  details: OpenAIErrorDetails | undefined,
  message: string,
  context: OpenAIErrorContext,
): UpstreamErrorKind {
  if (context.modelLoading?.some((pattern) => pattern.test(message))) return 'model_loading';
  const code = details?.code;
  const type = details?.type;
  if (code === 'context_length_exceeded' || type === 'context_length_exceeded')
    return 'context_length';
  if (CONTENT_POLICY_CODES.has(code ?? '') || details?.innerCode === 'ResponsibleAIPolicyViolation')
    return 'content_filter';
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'rate_limited';
  if (code === 'slow_down') return 'overloaded';
  if (
    (status === undefined || status === 400 || status === 413 || status === 422) &&
    CONTEXT_SIZE.test(message)
  )
    return 'context_length';
  if (status !== undefined) return classifyStatus(status, message);
  if (looksLikeContextLength(message)) return 'context_length';
  if (
    code === 'rate_limit_exceeded' ||
    type === 'rate_limit_exceeded' ||
    type === 'requests' ||
    type === 'tokens'
  )
    return 'rate_limited';
  return 'server';
}

/** Builds the UpstreamError for an error the vendor described (`status` is absent for in-stream errors). */
export function classifyOpenAIError(
  details: OpenAIErrorDetails | undefined,
  context: OpenAIErrorContext,
  options: { status?: number; retryAfterMs?: number; fallbackMessage?: string } = {},
): UpstreamError {
  const numeric = details?.numericCode;
  const status =
    options.status ??
    (numeric !== undefined && numeric >= 400 && numeric < 600 ? numeric : undefined);
  const message =
    details?.message || options.fallbackMessage || (status ? `HTTP ${status}` : 'unknown error');
  const kind = kindOf(status, details, message, context);
  const quotaExhausted =
    details?.code === 'insufficient_quota' || details?.type === 'insufficient_quota';
  const retryAfterMs =
    options.retryAfterMs ??
    (kind === 'rate_limited' || kind === 'overloaded' ? retryHintFromText(message) : undefined);
  const where = options.status === undefined ? 'stream error' : `${options.status}`;
  return new UpstreamError({
    kind,
    message: `${context.vendor} ${where}: ${message}`,
    status,
    retryAfterMs,
    ...(quotaExhausted ? { retryable: false } : {}),
    provider: context.provider,
    code: details?.code ?? (numeric !== undefined ? String(numeric) : details?.type),
    param: details?.param,
  });
}

/** The UpstreamError for a non-2xx answer whose body has been read. */
export function openAIErrorFromResponse(
  response: Pick<HttpResponse, 'status' | 'headers'>,
  bodyText: string,
  context: OpenAIErrorContext,
): UpstreamError {
  const details = readOpenAIError(parseJsonSafe(bodyText));
  return classifyOpenAIError(details, context, {
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers),
    fallbackMessage: bodyText.trim().slice(0, MESSAGE_EXCERPT) || undefined,
  });
}
