// The in-memory map of virtual API keys the request path authenticates against: no database
// read per request. Refreshed as a whole when keys change (revocation applies on the next
// request after the refresh). Tracks month-to-date spend for budgets.
import type { ApiKeyConfig, KeyLimits, Strategy } from '../config/config-schema.ts';
import { clientText, GatewayError } from '../spec/errors.ts';
import type { BudgetHold, KeyLimiter, SharedKeyOptions } from '../limits/key-limiter.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import { hashApiKey } from './api-key.ts';

export interface ActiveKey {
  id: string;
  name: string;
  /** SHA-256 hex digest of the key. */
  hash: string;
  allowedRoutes: string[];
  limits?: KeyLimits | undefined;
  monthlyBudgetUsd?: number | undefined;
  expiresAt?: Date | undefined;
  revoked?: boolean | undefined;
  strategy?: Strategy | undefined;
  /** Body logging for this key's requests; undefined follows the route and the global setting. */
  logBodies?: boolean | undefined;
}

export interface AuthenticatedKey {
  id: string;
  name: string;
  allowedRoutes: ReadonlySet<string>;
  limits: KeyLimits | undefined;
  monthlyBudgetUsd: number | undefined;
  strategy: Strategy | undefined;
  logBodies: boolean | undefined;
}

/** Keys from a config file: plaintext `key` values are hashed once, at load. */
export function activeKeysFromConfig(keys: readonly ApiKeyConfig[]): ActiveKey[] {
  return keys.map((key, index) => ({
    id: key.id ?? key.name ?? `key-${index + 1}`,
    name: key.name,
    hash: key.hash ?? hashApiKey(key.key ?? ''),
    allowedRoutes: key.allowedRoutes,
    limits: key.limits,
    monthlyBudgetUsd: key.monthlyBudgetUsd,
    expiresAt: key.expiresAt,
    revoked: key.revoked,
    strategy: key.strategy,
    logBodies: key.logBodies,
  }));
}

const RECENT_KEYS = 1024;

function monthOf(time: number): string {
  const date = new Date(time);
  return `${date.getUTCFullYear()}-${date.getUTCMonth()}`;
}

export class KeyRing {
  private byHash = new Map<string, { key: AuthenticatedKey; expiresAt: number | undefined }>();
  /** Valid keys seen recently, by the key itself: saves hashing on every request. */
  private recent = new Map<string, { key: AuthenticatedKey; expiresAt: number | undefined }>();
  private spend = new Map<string, number>();
  private spendMonth: string;
  private configured = false;

  constructor(private readonly clock: Clock = systemClock) {
    this.spendMonth = monthOf(clock.now());
  }

  /** True when no key is configured: the gateway is open (and should say so loudly). */
  get open(): boolean {
    return !this.configured;
  }

  get size(): number {
    return this.byHash.size;
  }

  /**
   * Replaces every key at once. Revoked and expired keys are dropped here, so lookups stay one map
   * read. The ring is open only when no key was ever issued: pass `configured: true` when keys
   * exist that are all revoked or expired, so revoking the last key does not open the gateway.
   */
  setKeys(keys: readonly ActiveKey[], options: { configured?: boolean } = {}): void {
    const next = new Map<string, { key: AuthenticatedKey; expiresAt: number | undefined }>();
    for (const key of keys) {
      if (key.revoked) continue;
      next.set(key.hash, {
        key: {
          id: key.id,
          name: key.name,
          allowedRoutes: new Set(key.allowedRoutes),
          limits: key.limits,
          monthlyBudgetUsd: key.monthlyBudgetUsd,
          strategy: key.strategy,
          logBodies: key.logBodies,
        },
        expiresAt: key.expiresAt?.getTime(),
      });
    }
    this.byHash = next;
    this.recent = new Map();
    this.configured = keys.length > 0 || options.configured === true;
  }

  /** Whether this exact key would be let in (revoked keys are not; expiry is not checked). */
  accepts(key: string): boolean {
    return this.byHash.has(hashApiKey(key));
  }

  /** Seeds month-to-date spend (e.g. from request logs at start-up). */
  setSpend(spend: ReadonlyMap<string, number>): void {
    this.spendMonth = monthOf(this.clock.now());
    this.spend = new Map(spend);
  }

  recordSpend(keyId: string, usd: number): void {
    this.rollMonth();
    this.spend.set(keyId, (this.spend.get(keyId) ?? 0) + usd);
  }

  spentThisMonth(keyId: string): number {
    this.rollMonth();
    return this.spend.get(keyId) ?? 0;
  }

  /**
   * Authenticates an `Authorization` header. Returns undefined in open mode; throws a 401
   * GatewayError for a missing, unknown, revoked or expired key.
   */
  authenticate(authorization: string | null | undefined): AuthenticatedKey | undefined {
    if (!this.configured) return undefined;
    const token = bearerToken(authorization);
    if (!token) throw unauthorized('Missing API key: send it as "Authorization: Bearer <key>"');
    let entry = this.recent.get(token);
    if (!entry) {
      entry = this.byHash.get(hashApiKey(token));
      if (!entry) throw unauthorized('Incorrect API key provided');
      // Known keys only, so unknown tokens cannot grow the cache.
      if (this.recent.size >= RECENT_KEYS) this.recent.clear();
      this.recent.set(token, entry);
    }
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now())
      throw unauthorized('This API key has expired');
    return entry.key;
  }

  /** Route permission, request/token limits and budget for one request; throws 403 / 429 GatewayErrors. */
  admit(
    key: AuthenticatedKey,
    modelName: string,
    estimatedTokens: number,
    limiter: KeyLimiter,
  ): void {
    if (key.allowedRoutes.size > 0 && !key.allowedRoutes.has(modelName)) {
      throw new GatewayError({
        status: 403,
        type: 'permission_error',
        code: 'model_not_allowed',
        message: `This API key may not use the model "${clientText(modelName)}"`,
        param: 'model',
      });
    }
    // Multi-instance mode: budget and per-minute limits are decided by `admitShared`.
    if (limiter.shared) return;
    if (key.monthlyBudgetUsd !== undefined && this.spentThisMonth(key.id) >= key.monthlyBudgetUsd)
      throw this.budgetExceeded(key.monthlyBudgetUsd);
    const decision = limiter.check(key.id, key.limits, estimatedTokens);
    if (!decision.ok) throw rateLimited(decision);
  }

  /**
   * The budget and per-minute limits of `admit` decided for the whole fleet by the shared store
   * (a no-op without one). The budget is reserved at admission, so concurrent requests cannot
   * all slip past it; the returned function charges the request's cost, once. With
   * `concurrency`, the key's `maxConcurrency` is decided for the fleet in the same store call,
   * and the returned function also gives the slot back: call it when the answer ends. Throws 429.
   */
  async admitShared(
    key: AuthenticatedKey,
    estimatedTokens: number,
    limiter: KeyLimiter,
    options: SharedKeyOptions = {},
  ): Promise<(costUsd: number) => void> {
    if (!limiter.shared) return () => undefined;
    const budget = key.monthlyBudgetUsd;
    let hold: BudgetHold | undefined;
    if (budget !== undefined) {
      this.rollMonth();
      hold = await limiter.reserveBudget(
        key.id,
        this.spendMonth,
        budget,
        this.spentThisMonth(key.id),
      );
      // The store away: this instance's own spend count decides.
      if (hold === undefined && this.spentThisMonth(key.id) >= budget) hold = { ok: false };
      if (hold?.ok === false) throw this.budgetExceeded(budget);
    }
    const settle = hold?.ok ? hold.settle : () => undefined;
    const decision = await limiter.decide(key.id, key.limits, estimatedTokens, options);
    if (!decision.ok) {
      settle(0);
      throw decision.concurrency ? concurrencyLimited(decision) : rateLimited(decision);
    }
    return (costUsd) => {
      settle(costUsd);
      decision.release();
    };
  }

  /** Holds one of the key's concurrent-request slots; the returned function frees it. Throws 429. */
  holdSlot(key: AuthenticatedKey, limiter: KeyLimiter): () => void {
    const slot = limiter.acquire(key.id, key.limits);
    if (slot.ok) return slot.release;
    throw concurrencyLimited(slot);
  }

  private budgetExceeded(budgetUsd: number): GatewayError {
    const now = new Date(this.clock.now());
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    return new GatewayError({
      status: 429,
      type: 'rate_limit_error',
      code: 'budget_exceeded',
      message: `This API key has used its monthly budget of $${budgetUsd.toFixed(2)}`,
      retryAfterMs: nextMonth - now.getTime(),
    });
  }

  private rollMonth(): void {
    const month = monthOf(this.clock.now());
    if (month !== this.spendMonth) {
      this.spendMonth = month;
      this.spend.clear();
    }
  }
}

function bearerToken(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return match?.[1]?.trim() || undefined;
}

function concurrencyLimited(refusal: { retryAfterMs: number; reason: string }): GatewayError {
  return new GatewayError({
    status: 429,
    type: 'rate_limit_error',
    code: 'concurrency_limit_exceeded',
    message: `Too many requests at once for this API key: ${refusal.reason}`,
    retryAfterMs: refusal.retryAfterMs,
  });
}

function rateLimited(decision: { retryAfterMs: number; reason: string }): GatewayError {
  return new GatewayError({
    status: 429,
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: `Rate limit reached for this API key: ${decision.reason}`,
    retryAfterMs: decision.retryAfterMs,
  });
}

function unauthorized(message: string): GatewayError {
  return new GatewayError({
    status: 401,
    type: 'authentication_error',
    code: 'invalid_api_key',
    message,
  });
}
