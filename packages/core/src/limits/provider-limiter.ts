// Per-provider quotas: requests/min, tokens/min and concurrency. The router checks them before
// an attempt and routes around a provider at quota instead of collecting its 429s.
import type { ProviderLimits } from '../config/config-schema.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { LimitDecision, LimitRefusal, MinuteUsage } from './minute-usage.ts';
import { combineRefusals, createMinuteUsage, minuteRefusals, usageFor } from './minute-usage.ts';
import type { UsageHandle } from './usage-window.ts';

export type ProviderAcquireResult = LimitDecision & { release?: (actualTokens: number) => void };

export interface LimiterOptions {
  clock?: Clock;
  store?: StateStore;
}

/** Weight of the newest request in the average request duration used for concurrency waits. */
const DURATION_EWMA_ALPHA = 0.2;
/** Assumed request duration before one has been measured. */
const DEFAULT_DURATION_MS = 1_000;

interface ProviderUsage extends MinuteUsage {
  /** Start times of the requests holding a concurrency slot. */
  running: Set<{ startedAt: number }>;
  averageDurationMs: number | undefined;
}

export class ProviderLimiter {
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly usage = new Map<string, ProviderUsage>();

  constructor(options: LimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
  }

  /** Synchronous check-and-reserve; on ok the caller must call `release` exactly once. */
  acquire(
    providerId: string,
    limits: ProviderLimits | undefined,
    estimatedTokens: number,
  ): ProviderAcquireResult {
    const now = this.clock.now();
    const usage = this.usageOf(providerId);
    const refusal = this.refusal(usage, limits, estimatedTokens, now);
    if (refusal !== undefined) return refusal;

    const slot = { startedAt: now };
    usage.running.add(slot);
    if (limits?.requestsPerMinute !== undefined) usage.requests.record(now, 1);
    let tokens: UsageHandle | undefined;
    if (limits?.tokensPerMinute !== undefined) tokens = usage.tokens.record(now, estimatedTokens);
    let released = false;
    return {
      ok: true,
      release: (actualTokens) => {
        if (released) return;
        released = true;
        usage.running.delete(slot);
        tokens?.adjust(actualTokens);
        const duration = this.clock.now() - slot.startedAt;
        usage.averageDurationMs =
          usage.averageDurationMs === undefined
            ? duration
            : usage.averageDurationMs + DURATION_EWMA_ALPHA * (duration - usage.averageDurationMs);
      },
    };
  }

  /** Requests currently holding a slot with this provider (for the least-busy strategy). */
  inFlight(providerId: string): number {
    return this.usage.get(providerId)?.running.size ?? 0;
  }

  private refusal(
    usage: ProviderUsage,
    limits: ProviderLimits | undefined,
    estimatedTokens: number,
    now: number,
  ): LimitDecision | undefined {
    if (limits === undefined) return undefined;
    const refusals: LimitRefusal[] = [];
    const { maxConcurrency } = limits;
    if (maxConcurrency !== undefined && usage.running.size >= maxConcurrency) {
      refusals.push({
        retryAfterMs: this.concurrencyWait(usage, now),
        reason: `concurrency limit of ${maxConcurrency} requests reached`,
      });
    }
    refusals.push(...minuteRefusals(usage, limits, estimatedTokens, now));
    return combineRefusals(refusals);
  }

  /**
   * When a concurrency slot frees cannot be known in advance; the estimate is the moment the
   * oldest running request reaches the provider's average request duration (at least 1 ms).
   */
  private concurrencyWait(usage: ProviderUsage, now: number): number {
    let oldest = now;
    for (const slot of usage.running) oldest = Math.min(oldest, slot.startedAt);
    const expectedEnd = oldest + (usage.averageDurationMs ?? DEFAULT_DURATION_MS);
    return Math.max(1, Math.round(expectedEnd - now));
  }

  private usageOf(providerId: string): ProviderUsage {
    return usageFor(this.usage, providerId, () => ({
      ...createMinuteUsage(`limits:provider:${encodeURIComponent(providerId)}`, this.store),
      running: new Set(),
      averageDurationMs: undefined,
    }));
  }
}
