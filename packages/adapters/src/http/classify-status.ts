// Default mapping of an HTTP status to an error kind; adapters refine it with vendor codes.
import type { UpstreamErrorKind } from '@switchyard/core';

const CONTEXT_LENGTH_PATTERNS = [
  /context[_ ]length/i,
  /context window/i,
  /maximum context/i,
  /prompt is too long/i,
  /too many (input )?tokens/i,
  /input is too long/i,
  /exceeds? the (maximum|max) (number of )?tokens/i,
  /input token count.*exceeds/i,
];

/** True when a vendor's error text says the prompt does not fit the model's window. */
export function looksLikeContextLength(message: string | undefined): boolean {
  return message !== undefined && CONTEXT_LENGTH_PATTERNS.some((pattern) => pattern.test(message));
}

export function classifyStatus(status: number, message?: string): UpstreamErrorKind {
  if (status === 400 || status === 413 || status === 422) {
    return looksLikeContextLength(message) ? 'context_length' : 'bad_request';
  }
  if (status === 401 || status === 403 || status === 498) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'protocol';
}
