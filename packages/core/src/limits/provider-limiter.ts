// Per-provider quotas: requests/min, tokens/min and concurrency. The router checks them before
// an attempt and routes around a provider at quota instead of collecting its 429s.
import type { ProviderLimits } from '../config/config-schema.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { UsageHandle } from './usage-window.ts';
import { UsageWindow } from './usage-window.ts';

export type LimitDecision = { ok: true } | { ok: false; retryAfterMs: number; reason: string };

export type ProviderAcquireResult = LimitDecision & { release?: (actualTokens: number) => void };

export interface LimiterOptions {
  clock?: Clock;
  store?: StateStore;
}

export const LIMIT_WINDOW_MS = 60_000;
/** Weight of the newest request in the average request duration used for concurrency waits. */
const DURATION_EWMA_ALPHA = 0.2;
/** Assumed request duration before one has been measured. */
const DEFAULT_DURATION_MS = 1_000;

interface ProviderUsage {
  requests: UsageWindow;
  tokens: UsageWindow;
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
    const refusals: Array<{ retryAfterMs: number; reason: string }> = [];
    const { maxConcurrency, requestsPerMinute, tokensPerMinute } = limits;
    if (maxConcurrency !== undefined && usage.running.size >= maxConcurrency) {
      refusals.push({
        retryAfterMs: this.concurrencyWait(usage, now),
        reason: `concurrency limit of ${maxConcurrency} requests reached`,
      });
    }
    if (requestsPerMinute !== undefined) {
      const wait = usage.requests.waitFor(now, 1, requestsPerMinute);
      if (wait > 0)
        refusals.push({
          retryAfterMs: wait,
          reason: `limit of ${requestsPerMinute} requests per minute reached`,
        });
    }
    if (tokensPerMinute !== undefined) {
      const wait = usage.tokens.waitFor(now, estimatedTokens, tokensPerMinute);
      if (wait > 0)
        refusals.push({
          retryAfterMs: wait,
          reason: `limit of ${tokensPerMinute} tokens per minute reached`,
        });
    }
    if (refusals.length === 0) return undefined;
    // Every limit must have room, so the wait is the longest one.
    return {
      ok: false,
      retryAfterMs: Math.max(...refusals.map((refusal) => refusal.retryAfterMs)),
      reason: refusals.map((refusal) => refusal.reason).join('; '),
    };
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
    let usage = this.usage.get(providerId);
    if (usage === undefined) {
      const key = `limits:provider:${encodeURIComponent(providerId)}`;
      usage = {
        requests: new UsageWindow({
          windowMs: LIMIT_WINDOW_MS,
          store: this.store,
          sharedKey: `${key}:requests`,
        }),
        tokens: new UsageWindow({
          windowMs: LIMIT_WINDOW_MS,
          store: this.store,
          sharedKey: `${key}:tokens`,
        }),
        running: new Set(),
        averageDurationMs: undefined,
      };
      this.usage.set(providerId, usage);
    }
    return usage;
  }
}
