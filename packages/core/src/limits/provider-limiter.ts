// Per-provider quotas: requests/min, tokens/min and concurrency. The router checks them before
// an attempt and routes around a provider at quota instead of collecting its 429s. With a
// SharedQuota the fleet's store decides them (`acquireShared`): a sliding window per minute
// limit and a semaphore of leases for concurrency; this instance's counts decide while it is away.
import type { ProviderLimits } from '../config/config-schema.ts';
import type { QuotaCheck, SharedQuota } from '../state/shared-quota.ts';
import type { StateStore } from '../state/state-store.ts';
import { writeInBackground } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { LimitDecision, LimitRefusal, MinuteUsage } from './minute-usage.ts';
import {
  combineRefusals,
  createMinuteUsage,
  LIMIT_WINDOW_MS,
  minuteRefusals,
  usageFor,
} from './minute-usage.ts';
import type { UsageHandle } from './usage-window.ts';
import { LEASE_MS, LeaseKeeper } from './lease-keeper.ts';

export { LEASE_MS } from './lease-keeper.ts';

export type ProviderAcquireResult = LimitDecision & { release?: (actualTokens: number) => void };

export interface LimiterOptions {
  clock?: Clock;
  store?: StateStore;
  /** The fleet's shared quota decisions (multi-instance mode). */
  quota?: SharedQuota | undefined;
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
  private readonly quota: SharedQuota | undefined;
  private readonly usage = new Map<string, ProviderUsage>();
  /** Shared concurrency leases held by this instance's running requests. */
  private readonly leases: LeaseKeeper | undefined;

  constructor(options: LimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
    this.quota = options.quota;
    this.leases = options.quota ? new LeaseKeeper(options.quota) : undefined;
  }

  /** True when the fleet's shared store decides the limits (`acquireShared`, not `acquire`). */
  get shared(): boolean {
    return this.quota !== undefined;
  }

  /**
   * `acquire`, decided by the shared store when there is one, for the whole fleet. The store
   * away (or too slow), this instance's own counts decide, with the full limits.
   */
  async acquireShared(
    providerId: string,
    limits: ProviderLimits | undefined,
    estimatedTokens: number,
  ): Promise<ProviderAcquireResult> {
    const quota = this.quota;
    const checks = limits === undefined ? [] : sharedChecks(limits, estimatedTokens);
    if (quota === undefined || checks.length === 0)
      return this.acquire(providerId, limits, estimatedTokens);
    const subject = `provider:${encodeURIComponent(providerId)}`;
    let verdict;
    try {
      verdict = await quota.take({ subject, checks }, LIMIT_WINDOW_MS, LEASE_MS);
    } catch {
      return this.acquire(providerId, limits, estimatedTokens);
    }
    if (!verdict.ok) {
      const usage = this.usageOf(providerId);
      const refusals: LimitRefusal[] = verdict.refused.map((name) =>
        name === 'concurrency'
          ? {
              retryAfterMs: this.concurrencyWait(usage, this.clock.now()),
              reason: `concurrency limit of ${limits?.maxConcurrency} requests reached`,
            }
          : {
              retryAfterMs: verdict.retryAfterMs,
              reason:
                name === 'requests'
                  ? `limit of ${limits?.requestsPerMinute} requests per minute reached`
                  : `limit of ${limits?.tokensPerMinute} tokens per minute reached`,
            },
      );
      return combineRefusals(refusals) ?? { ok: true };
    }
    const { id } = verdict;
    // Held locally too: in-flight counts for least-busy, and the fallback count.
    const local = this.hold(this.usageOf(providerId), limits, estimatedTokens, this.clock.now());
    const lease =
      limits?.maxConcurrency !== undefined ? { subject, name: 'concurrency', id } : undefined;
    if (lease) this.leases?.hold(lease);
    let released = false;
    return {
      ok: true,
      release: (actualTokens) => {
        if (released) return;
        released = true;
        local.release?.(actualTokens);
        if (lease) this.leases?.release(lease);
        if (limits?.tokensPerMinute !== undefined && actualTokens !== estimatedTokens)
          writeInBackground(() => quota.adjust(subject, 'tokens', id, actualTokens));
      },
    };
  }

  /** Stops renewing shared leases (the gateway is closing). */
  close(): void {
    this.leases?.close();
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
    return this.hold(usage, limits, estimatedTokens, now);
  }

  /** Takes the slot and records the usage of an admitted request. */
  private hold(
    usage: ProviderUsage,
    limits: ProviderLimits | undefined,
    estimatedTokens: number,
    now: number,
  ): ProviderAcquireResult {
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
    // With a shared quota the local windows are this instance's own fallback counts only.
    const store = this.quota ? undefined : this.store;
    return usageFor(this.usage, providerId, () => ({
      ...createMinuteUsage(`limits:provider:${encodeURIComponent(providerId)}`, store),
      running: new Set(),
      averageDurationMs: undefined,
    }));
  }
}

function sharedChecks(
  limits: ProviderLimits,
  estimatedTokens: number,
): Array<QuotaCheck & { name: string }> {
  const checks: Array<QuotaCheck & { name: string }> = [];
  const { requestsPerMinute, tokensPerMinute, maxConcurrency } = limits;
  if (requestsPerMinute !== undefined)
    checks.push({ name: 'requests', kind: 'window', limit: requestsPerMinute, need: 1, add: 1 });
  if (tokensPerMinute !== undefined)
    checks.push({
      name: 'tokens',
      kind: 'window',
      limit: tokensPerMinute,
      need: estimatedTokens,
      add: estimatedTokens,
    });
  if (maxConcurrency !== undefined)
    checks.push({ name: 'concurrency', kind: 'lease', limit: maxConcurrency });
  return checks;
}
