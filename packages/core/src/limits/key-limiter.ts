// Per-API-key quotas: requests/min and tokens/min. A key over its quota gets a 429 with the real
// time until it has room again.
import type { KeyLimits } from '../config/config-schema.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { LimitDecision, LimiterOptions } from './provider-limiter.ts';
import { LIMIT_WINDOW_MS } from './provider-limiter.ts';
import { UsageWindow } from './usage-window.ts';

interface KeyUsage {
  requests: UsageWindow;
  tokens: UsageWindow;
}

export class KeyLimiter {
  private readonly clock: Clock;
  private readonly store: StateStore | undefined;
  private readonly usage = new Map<string, KeyUsage>();

  constructor(options: LimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store;
  }

  /**
   * Counts the request when ok. Tokens are checked against the estimate but counted only from
   * `recordTokens`, with what the request really used.
   */
  check(keyId: string, limits: KeyLimits | undefined, estimatedTokens: number): LimitDecision {
    const requestsPerMinute = limits?.requestsPerMinute;
    const tokensPerMinute = limits?.tokensPerMinute;
    if (requestsPerMinute === undefined && tokensPerMinute === undefined) return { ok: true };
    const now = this.clock.now();
    const usage = this.usageOf(keyId);
    let retryAfterMs = 0;
    const reasons: string[] = [];
    if (requestsPerMinute !== undefined) {
      const wait = usage.requests.waitFor(now, 1, requestsPerMinute);
      if (wait > 0) {
        retryAfterMs = Math.max(retryAfterMs, wait);
        reasons.push(`limit of ${requestsPerMinute} requests per minute reached`);
      }
    }
    if (tokensPerMinute !== undefined) {
      const wait = usage.tokens.waitFor(now, estimatedTokens, tokensPerMinute);
      if (wait > 0) {
        retryAfterMs = Math.max(retryAfterMs, wait);
        reasons.push(`limit of ${tokensPerMinute} tokens per minute reached`);
      }
    }
    if (reasons.length > 0)
      return { ok: false, retryAfterMs, reason: `API key ${reasons.join('; ')}` };
    usage.requests.record(now, 1);
    return { ok: true };
  }

  /** Actual usage after the response. */
  recordTokens(keyId: string, tokens: number): void {
    if (tokens <= 0) return;
    this.usage.get(keyId)?.tokens.record(this.clock.now(), tokens);
  }

  private usageOf(keyId: string): KeyUsage {
    let usage = this.usage.get(keyId);
    if (usage === undefined) {
      const key = `limits:key:${encodeURIComponent(keyId)}`;
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
      };
      this.usage.set(keyId, usage);
    }
    return usage;
  }
}
