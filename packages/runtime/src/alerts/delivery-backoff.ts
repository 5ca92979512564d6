// When a failed webhook delivery is tried again: exponential backoff with a cap and a bounded
// number of attempts, so a receiver that is down for good stops costing requests.

export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait after the first failure; doubled after each later one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 5 s, 10 s, 20 s, 40 s, 80 s … at most 10 min; six attempts over about 2.5 minutes. */
export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 5_000,
  maxDelayMs: 600_000,
};

/**
 * The wait before the next attempt after `attemptsMade` failed ones, or undefined when no
 * attempt is left. `random` (0..1) spreads retries of many deliveries by up to a fifth.
 */
export function nextRetryDelayMs(
  attemptsMade: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number | undefined {
  if (attemptsMade >= policy.maxAttempts) return undefined;
  const exponent = Math.max(0, attemptsMade - 1);
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.min(policy.maxDelayMs, Math.round(delay * (1 + random() * 0.2)));
}

/** Whether an answer means "try again later" rather than "this receiver refuses it". */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
