// Per-API-key quotas: requests/min, tokens/min and requests in flight. A key over its quota gets
// a 429 with the real time until it has room again (for concurrency, an estimate). With a
// SharedQuota (multi-instance mode) the per-minute limits, and the requests in flight when the
// caller asks, are decided by the shared store for the whole fleet (a semaphore of leases, as for
// a provider's maxConcurrency); this instance's own counts decide only while the store is away.
import type { KeyLimits } from '../config/config-schema.ts';
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
import type { LimiterOptions } from './provider-limiter.ts';
import { LEASE_MS, LeaseKeeper, type Lease } from './lease-keeper.ts';

/** Retry-After for a key at its concurrency limit: when a slot frees cannot be known. */
const CONCURRENCY_RETRY_MS = 1_000;

export type KeySlot = { ok: true; release: () => void } | Extract<LimitDecision, { ok: false }>;

/** A budget reservation outlives any request; it expires on its own if its instance dies. */
const BUDGET_HOLD_MS = 10 * 60_000;

export type BudgetHold = { ok: true; settle: (costUsd: number) => void } | { ok: false };

const NO_SLOT_NEEDED: KeySlot = { ok: true, release: () => undefined };

/**
 * A fleet-wide admission. `release` gives back the concurrency lease it took, if any (once);
 * `concurrency` says a refusal was for requests in flight only.
 */
export type SharedKeyDecision =
  | { ok: true; release: () => void }
  | { ok: false; retryAfterMs: number; reason: string; concurrency: boolean };

export interface SharedKeyOptions {
  /** Also take one of the key's `maxConcurrency` slots, for the whole fleet. */
  concurrency?: boolean;
}

export class KeyLimiter {
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly quota: SharedQuota | undefined;
  private readonly leases: LeaseKeeper | undefined;
  private readonly usage = new Map<string, MinuteUsage>();
  /** Requests in flight per key, on this instance. */
  private readonly running = new Map<string, number>();

  constructor(options: LimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
    this.quota = options.quota;
    this.leases = options.quota ? new LeaseKeeper(options.quota) : undefined;
  }

  /** True when the fleet's shared store decides the per-minute limits (`decide`, not `check`). */
  get shared(): boolean {
    return this.quota !== undefined;
  }

  /**
   * `check` (and with `concurrency`, `acquire`'s slot), decided by the shared store when there is
   * one: of N requests in a window the fleet admits exactly min(N, limit), and holds at most
   * `maxConcurrency` at once. One store call decides all of them. The store away (or too slow),
   * this instance's count decides the per-minute limits and `acquire` the slot.
   */
  async decide(
    keyId: string,
    limits: KeyLimits | undefined,
    estimatedTokens: number,
    options: SharedKeyOptions = {},
  ): Promise<SharedKeyDecision> {
    const quota = this.quota;
    const checks = sharedChecks(limits, estimatedTokens, options.concurrency === true);
    if (quota === undefined || checks.length === 0)
      return this.checkLocally(keyId, limits, estimatedTokens);
    const subject = keySubject(keyId);
    let verdict;
    try {
      verdict = await quota.take({ subject, checks }, LIMIT_WINDOW_MS, LEASE_MS);
    } catch {
      return this.checkLocally(keyId, limits, estimatedTokens);
    }
    if (!verdict.ok) return sharedRefusal(verdict.refused, verdict.retryAfterMs, limits);
    // Counted here too, so that the full limit holds on this instance's own count if the
    // store goes away.
    this.usageOf(keyId).requests.record(this.clock.now(), 1);
    if (!checks.some((check) => check.kind === 'lease'))
      return { ok: true, release: () => undefined };
    const lease: Lease = { subject, name: 'concurrency', id: verdict.id };
    this.leases?.hold(lease);
    return { ok: true, release: () => this.leases?.release(lease) };
  }

  /** Stops renewing the key leases of running requests (the gateway is closing). */
  close(): void {
    this.leases?.close();
  }

  private checkLocally(
    keyId: string,
    limits: KeyLimits | undefined,
    estimatedTokens: number,
  ): SharedKeyDecision {
    const decision = this.check(keyId, limits, estimatedTokens);
    return decision.ok
      ? { ok: true, release: () => undefined }
      : { ...decision, concurrency: false };
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
   * `release` may be called more than once. Counted on this instance; in multi-instance mode
   * `decide` also takes the key's fleet-wide lease, and this count is the fallback.
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

  /**
   * Reserves part of the key's monthly budget in the shared store (see `SharedQuota.reserveBudget`);
   * `settle` charges the request's cost, once. Undefined without a shared store or while it is
   * away: the caller then decides on this instance's own spend count.
   */
  async reserveBudget(
    keyId: string,
    month: string,
    budgetUsd: number,
    knownSpendUsd: number,
  ): Promise<BudgetHold | undefined> {
    const quota = this.quota;
    if (quota === undefined) return undefined;
    let verdict;
    try {
      verdict = await quota.reserveBudget(keyId, month, budgetUsd, knownSpendUsd, BUDGET_HOLD_MS);
    } catch {
      return undefined;
    }
    if (!verdict.ok) return { ok: false };
    const { id } = verdict;
    let settled = false;
    return {
      ok: true,
      settle: (costUsd) => {
        if (settled) return;
        settled = true;
        writeInBackground(() => quota.settleBudget(keyId, month, id, costUsd));
      },
    };
  }

  /** Actual usage after the response. */
  recordTokens(keyId: string, tokens: number): void {
    if (tokens <= 0) return;
    const quota = this.quota;
    if (quota !== undefined) {
      writeInBackground(() => quota.add(keySubject(keyId), 'tokens', tokens, LIMIT_WINDOW_MS));
      this.usageOf(keyId).tokens.record(this.clock.now(), tokens);
      return;
    }
    this.usage.get(keyId)?.tokens.record(this.clock.now(), tokens);
  }

  private usageOf(keyId: string): MinuteUsage {
    // With a shared quota the local windows are this instance's own fallback counts only.
    return usageFor(this.usage, keyId, () =>
      createMinuteUsage(
        `limits:key:${encodeURIComponent(keyId)}`,
        this.quota ? undefined : this.store,
      ),
    );
  }
}

function sharedChecks(
  limits: KeyLimits | undefined,
  estimatedTokens: number,
  concurrency: boolean,
): Array<QuotaCheck & { name: string }> {
  const checks: Array<QuotaCheck & { name: string }> = [];
  const { requestsPerMinute, tokensPerMinute, maxConcurrency } = limits ?? {};
  if (requestsPerMinute !== undefined)
    checks.push({ name: 'requests', kind: 'window', limit: requestsPerMinute, need: 1, add: 1 });
  if (tokensPerMinute !== undefined)
    checks.push({
      name: 'tokens',
      kind: 'window',
      limit: tokensPerMinute,
      need: estimatedTokens,
      add: 0,
    });
  if (concurrency && maxConcurrency !== undefined)
    checks.push({ name: 'concurrency', kind: 'lease', limit: maxConcurrency });
  return checks;
}

/** The store's refusal in the words of a local one; a lease refused waits an estimate. */
function sharedRefusal(
  refused: readonly string[],
  retryAfterMs: number,
  limits: KeyLimits | undefined,
): SharedKeyDecision {
  const refusals: LimitRefusal[] = refused.map((name) => {
    if (name === 'concurrency')
      return {
        retryAfterMs: CONCURRENCY_RETRY_MS,
        reason: `limit of ${limits?.maxConcurrency} concurrent requests (open streams included) reached`,
      };
    return {
      retryAfterMs,
      reason:
        name === 'requests'
          ? `limit of ${limits?.requestsPerMinute} requests per minute reached`
          : `limit of ${limits?.tokensPerMinute} tokens per minute reached`,
    };
  });
  const decision = combineRefusals(refusals, 'API key ') ?? {
    ok: false,
    retryAfterMs,
    reason: 'API key limit reached',
  };
  if (decision.ok) return { ok: true, release: () => undefined };
  return { ...decision, concurrency: refused.every((name) => name === 'concurrency') };
}

function keySubject(keyId: string): string {
  return `key:${encodeURIComponent(keyId)}`;
}
