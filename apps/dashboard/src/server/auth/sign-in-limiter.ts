// Limits failed sign-in attempts per account and per client address, so passwords cannot be
// guessed at speed. In memory: the dashboard is one process; a restart forgets the counts.
import type { Clock } from '@switchyard/core';

export interface SignInLimiterOptions {
  clock: Clock;
  /** Failures allowed in the window before further attempts are refused. */
  maxFailures?: number;
  windowMs?: number;
}

export interface LimitDecision {
  allowed: boolean;
  retryAfterMs: number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly clock: Clock;
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(options: SignInLimiterOptions) {
    this.clock = options.clock;
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
  }

  private recent(key: string): number[] {
    const cutoff = this.clock.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Whether an attempt for these keys (e.g. `email:x`, `ip:y`) may go ahead now. */
  check(keys: ReadonlyArray<string>): LimitDecision {
    let retryAfterMs = 0;
    for (const key of keys) {
      const recent = this.recent(key);
      if (recent.length >= this.maxFailures) {
        const oldest = recent[recent.length - this.maxFailures] ?? this.clock.now();
        retryAfterMs = Math.max(retryAfterMs, oldest + this.windowMs - this.clock.now());
      }
    }
    return { allowed: retryAfterMs === 0, retryAfterMs };
  }

  recordFailure(keys: ReadonlyArray<string>): void {
    const now = this.clock.now();
    for (const key of keys) this.failures.set(key, [...this.recent(key), now]);
  }

  recordSuccess(keys: ReadonlyArray<string>): void {
    for (const key of keys) this.failures.delete(key);
  }
}
