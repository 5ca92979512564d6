// What the key and provider limiters share: one subject's requests and tokens over a rolling
// minute, and the refusals its per-minute limits give for the next request.
import type { StateStore } from '../state/state-store.ts';
import { UsageWindow } from './usage-window.ts';

export const LIMIT_WINDOW_MS = 60_000;

export type LimitDecision = { ok: true } | { ok: false; retryAfterMs: number; reason: string };

export interface MinuteUsage {
  requests: UsageWindow;
  tokens: UsageWindow;
}

export interface MinuteLimits {
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
}

export interface LimitRefusal {
  retryAfterMs: number;
  reason: string;
}

/** `sharedKey` prefixes the subject's counters in the store, e.g. `limits:key:<id>`. */
export function createMinuteUsage(sharedKey: string, store: StateStore | undefined): MinuteUsage {
  return {
    requests: new UsageWindow({
      windowMs: LIMIT_WINDOW_MS,
      store,
      sharedKey: `${sharedKey}:requests`,
    }),
    tokens: new UsageWindow({ windowMs: LIMIT_WINDOW_MS, store, sharedKey: `${sharedKey}:tokens` }),
  };
}

/** The subject's usage from `usage`, created and kept there on first use. */
export function usageFor<Usage>(usage: Map<string, Usage>, id: string, create: () => Usage): Usage {
  let found = usage.get(id);
  if (found === undefined) {
    found = create();
    usage.set(id, found);
  }
  return found;
}

/** One refusal per per-minute limit without room for one more request of `estimatedTokens`. */
export function minuteRefusals(
  usage: MinuteUsage,
  limits: MinuteLimits,
  estimatedTokens: number,
  now: number,
): LimitRefusal[] {
  const refusals: LimitRefusal[] = [];
  const { requestsPerMinute, tokensPerMinute } = limits;
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
  return refusals;
}

/** Every limit must have room, so the wait is the longest one; `undefined` when none refused. */
export function combineRefusals(
  refusals: ReadonlyArray<LimitRefusal>,
  reasonPrefix = '',
): LimitDecision | undefined {
  if (refusals.length === 0) return undefined;
  return {
    ok: false,
    retryAfterMs: Math.max(...refusals.map((refusal) => refusal.retryAfterMs)),
    reason: reasonPrefix + refusals.map((refusal) => refusal.reason).join('; '),
  };
}
