// Per-API-key quotas: requests/min and tokens/min. A key over its quota gets a 429 with the real
// time until it has room again.
import type { KeyLimits } from '../config/config-schema.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { LimitDecision, MinuteUsage } from './minute-usage.ts';
import { combineRefusals, createMinuteUsage, minuteRefusals, usageFor } from './minute-usage.ts';
import type { LimiterOptions } from './provider-limiter.ts';

export class KeyLimiter {
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly usage = new Map<string, MinuteUsage>();

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
