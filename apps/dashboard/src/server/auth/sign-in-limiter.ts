// Limits sign-in attempts, so passwords cannot be guessed at speed: a hard limit per client
// address, and a progressive backoff per account (so a stranger cannot lock an owner out). In
// memory: the dashboard is one process; a restart forgets the counts.
//
// An attempt is counted when it starts, not when its password turns out wrong: attempts sent in
// parallel (a tRPC batch, many connections) are then refused as soon as the limit is reached
// instead of all being verified before the first failure is recorded.
import type { Clock } from '@switchyard/core';
import { AccountBackoff, type AccountBackoffOptions } from './account-backoff.ts';
import { ConcurrencyGate } from './concurrency-gate.ts';

export interface SignInLimiterOptions {
  clock: Clock;
  /** Failures allowed in the window before further attempts are refused. */
  maxFailures?: number;
  windowMs?: number;
  /** Password verifications running at once, and how many more may wait for a slot. */
  verifications?: { running: number; waiting: number };
  accountBackoff?: Omit<AccountBackoffOptions, 'clock'>;
}

export interface SignInAttempt {
  /** Normalised (lower-case) email. */
  email: string;
  address: string;
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
  private readonly gate: ConcurrencyGate;
  private readonly accounts: AccountBackoff;

  constructor(options: SignInLimiterOptions) {
    this.clock = options.clock;
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.gate = new ConcurrencyGate(options.verifications ?? { running: 4, waiting: 32 });
    this.accounts = new AccountBackoff({ clock: options.clock, ...options.accountBackoff });
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

  /**
   * Starts a sign-in: refused while the address is over its limit or the account is in its
   * backoff; otherwise counted as a failure of both until `succeeded` says otherwise.
   */
  begin(attempt: SignInAttempt): LimitDecision {
    const address = [addressKey(attempt.address)];
    const byAddress = this.check(address);
    const byAccount = this.accounts.check(attempt.email);
    if (!byAddress.allowed || !byAccount.allowed)
      return {
        allowed: false,
        retryAfterMs: Math.max(byAddress.retryAfterMs, byAccount.retryAfterMs),
      };
    this.recordFailure(address);
    this.accounts.recordFailure(attempt.email);
    return { allowed: true, retryAfterMs: 0 };
  }

  /** The password was right: the account's backoff ends and the address gets its attempt back. */
  succeeded(attempt: SignInAttempt): void {
    this.accounts.recordSuccess(attempt.email);
    const key = addressKey(attempt.address);
    const kept = this.recent(key).slice(0, -1);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
  }

  recordFailure(keys: ReadonlyArray<string>): void {
    const now = this.clock.now();
    for (const key of keys) this.failures.set(key, [...this.recent(key), now]);
  }

  recordSuccess(keys: ReadonlyArray<string>): void {
    for (const key of keys) this.failures.delete(key);
  }

  /** Runs a password verification within the bound on concurrent ones (`GateFullError` beyond). */
  verifying<T>(work: () => Promise<T>): Promise<T> {
    return this.gate.run(work);
  }
}

function addressKey(address: string): string {
  return `address:${address}`;
}
