// Per-account protection against guessing from many addresses: after a few failures each next
// attempt on the account must wait longer (doubling, up to a cap), instead of the account being
// locked. A stranger who knows an email can slow its owner down by at most the cap, never lock
// them out; a guesser gets a handful of tries per minute, whatever addresses they rotate through.
import type { Clock } from '@switchyard/core';
import type { LimitDecision } from './sign-in-limiter.ts';

export interface AccountBackoffOptions {
  clock: Clock;
  /** Failures before any delay applies (typos happen). */
  freeFailures?: number;
  /** The first delay; each further failure doubles it. */
  baseDelayMs?: number;
  /** The longest delay, and so the longest an owner can be kept waiting. */
  maxDelayMs?: number;
  /** Failures older than this are forgotten. */
  memoryMs?: number;
}

interface AccountState {
  failures: number;
  lastFailureAt: number;
  nextAttemptAt: number;
}

export class AccountBackoff {
  private readonly accounts = new Map<string, AccountState>();
  private readonly clock: Clock;
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly memoryMs: number;

  constructor(options: AccountBackoffOptions) {
    this.clock = options.clock;
    this.freeFailures = options.freeFailures ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.memoryMs = options.memoryMs ?? 15 * 60 * 1000;
  }

  /** The delay imposed after `failures` failures. */
  delayAfter(failures: number): number {
    if (failures < this.freeFailures) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (failures - this.freeFailures));
  }

  private current(account: string): AccountState | undefined {
    const state = this.accounts.get(account);
    if (state && this.clock.now() - state.lastFailureAt > this.memoryMs) {
      this.accounts.delete(account);
      return undefined;
    }
    return state;
  }

  check(account: string): LimitDecision {
    const state = this.current(account);
    const retryAfterMs = Math.max(0, (state?.nextAttemptAt ?? 0) - this.clock.now());
    return { allowed: retryAfterMs === 0, retryAfterMs };
  }

  recordFailure(account: string): void {
    const now = this.clock.now();
    const failures = (this.current(account)?.failures ?? 0) + 1;
    this.accounts.set(account, {
      failures,
      lastFailureAt: now,
      nextAttemptAt: now + this.delayAfter(failures),
    });
  }

  recordSuccess(account: string): void {
    this.accounts.delete(account);
  }
}
