// Per-API-key quotas: requests/min, tokens/min and requests in flight. A key over its quota gets
// a 429 with the real time until it has room again (for concurrency, an estimate).
import type { KeyLimits } from '../config/config-schema.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { LimitDecision, MinuteUsage } from './minute-usage.ts';
import { combineRefusals, createMinuteUsage, minuteRefusals, usageFor } from './minute-usage.ts';
import type { LimiterOptions } from './provider-limiter.ts';

/** Retry-After for a key at its concurrency limit: when a slot frees cannot be known. */
const CONCURRENCY_RETRY_MS = 1_000;

export type KeySlot = { ok: true; release: () => void } | Extract<LimitDecision, { ok: false }>;

const NO_SLOT_NEEDED: KeySlot = { ok: true, release: () => undefined };

export class KeyLimiter {
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly usage = new Map<string, MinuteUsage>();
  /** Requests in flight per key, on this instance. */
  private readonly running = new Map<string, number>();

  constructor(options: LimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
  }

  /**
   * Counts the request when ok. Tokens are checked against the estimate but counted only from
   * `recordTokens`, with what the request really used.
   */
  check(keyId: string, limits: KeyLimits | undefined, estimatedTokens: number): LimitDecision {
    if (limits?.requestsPerMinute === undefined && limits?.tokensPerMinute === undefined)
      return { ok: true };
    const now = this.clock.now();
    const usage = this.usageOf(keyId);
    const refusal = combineRefusals(
      minuteRefusals(usage, limits, estimatedTokens, now),
      'API key ',
    );
    if (refusal !== undefined) return refusal;
    usage.requests.record(now, 1);
    return { ok: true };
  }

  /**
   * Takes one of the key's `maxConcurrency` slots, held until `release` (a stream's when it ends);
   * `release` may be called more than once. Counted per instance, like provider concurrency.
   */
  acquire(keyId: string, limits: KeyLimits | undefined): KeySlot {
    const max = limits?.maxConcurrency;
    if (max === undefined) return NO_SLOT_NEEDED;
    const running = this.inFlight(keyId);
    if (running >= max)
      return {
        ok: false,
        retryAfterMs: CONCURRENCY_RETRY_MS,
        reason: `API key limit of ${max} concurrent requests (open streams included) reached`,
      };
    this.running.set(keyId, running + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = this.inFlight(keyId) - 1;
        if (left > 0) this.running.set(keyId, left);
        else this.running.delete(keyId);
      },
    };
  }

  /** The key's requests in flight on this instance. */
  inFlight(keyId: string): number {
    return this.running.get(keyId) ?? 0;
  }

  /** Actual usage after the response. */
  recordTokens(keyId: string, tokens: number): void {
    if (tokens <= 0) return;
    this.usage.get(keyId)?.tokens.record(this.clock.now(), tokens);
  }

  private usageOf(keyId: string): MinuteUsage {
    return usageFor(this.usage, keyId, () =>
      createMinuteUsage(`limits:key:${encodeURIComponent(keyId)}`, this.store),
    );
  }
}
