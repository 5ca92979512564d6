// What to do after a failed attempt, read from the error-policy table: retry the same target,
// fail over to the next candidate, fall back to a larger-window route, or answer the client.
import type { RouteConfig } from '../config/config-schema.ts';
import { policyOf } from '../spec/error-policy.ts';
import type { UpstreamError } from '../spec/errors.ts';
import type { RandomSource } from '../util/random.ts';
import { retryDelayMs } from './backoff.ts';

/** A Retry-After longer than this is not waited for while another candidate is left. */
export const LONG_RETRY_AFTER_MS = 2_000;

export type NextStep =
  | { action: 'answer' }
  | { action: 'failover' }
  | { action: 'retry'; delayMs: number }
  | { action: 'context-fallback'; route: RouteConfig };

export interface NextStepContext {
  /** How many retries of this target were already made. */
  retry: number;
  retryAttempts: number;
  retryDelay: number;
  now: number;
  /** The request's deadline (epoch ms). */
  deadline: number;
  random: RandomSource;
  /** The plan's larger-window route, when it has one. */
  contextFallback: RouteConfig | undefined;
  /** Another candidate could still be tried after this target. */
  alternativesLeft: boolean;
}

export function nextStep(failure: UpstreamError, context: NextStepContext): NextStep {
  const policy = policyOf(failure);
  if (!policy.failOver) {
    if (policy.contextFallback && context.contextFallback)
      return { action: 'context-fallback', route: context.contextFallback };
    return { action: 'answer' };
  }
  if (!failure.retryable || context.retry >= context.retryAttempts) return { action: 'failover' };
  if (policy.retryOnlyWhenAlone && context.alternativesLeft) return { action: 'failover' };
  const delayMs = retryDelayMs(failure, context.retry, context.retryDelay, context.random);
  // Another candidate now beats a long wait for this one.
  if (
    failure.retryAfterMs !== undefined &&
    failure.retryAfterMs > LONG_RETRY_AFTER_MS &&
    context.alternativesLeft
  )
    return { action: 'failover' };
  // Honour Retry-After exactly, or fail over when waiting would not fit in the time left.
  if (context.now + delayMs >= context.deadline) return { action: 'failover' };
  return { action: 'retry', delayMs };
}
