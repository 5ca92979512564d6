// The checks right before each attempt — a provider's cool-down, its circuit, its quota — which
// either admit the attempt (holding its quota) or pass the target by.
import type { UpstreamError } from '../spec/errors.ts';
import { policyOf } from '../spec/error-policy.ts';
import type { ProviderAcquireResult } from '../limits/index.ts';
import type { StateStore } from '../state/state-store.ts';
import { newInstanceId, writeInBackground } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import type { RouterDependencies } from './route-types.ts';
import type { Target } from './routing-table.ts';
import { skipOf, type Skip } from './candidates.ts';

export interface Admission {
  type: 'admitted';
  /** Hands the quota back, charging the tokens used; only the first call counts. */
  release: (tokens: number) => void;
}

/** Providers that told us to come back later (a 429 with a retry hint): skipped until then. */
export class CoolDowns {
  private readonly until = new Map<string, number>();
  private readonly instanceId = newInstanceId();

  /**
   * With a store, cool-downs are published to the other instances and theirs are followed; the
   * time left travels, not the moment, so clocks need not agree.
   */
  constructor(private readonly shared?: { store: StateStore; clock: Clock }) {
    shared?.store.subscribe(COOL_DOWN_PREFIX, (key, value) => {
      if (!isSharedCoolDown(value) || value.origin === this.instanceId) return;
      const provider = key.slice(COOL_DOWN_PREFIX.length);
      const until = shared.clock.now() + value.remainingMs;
      if (until > (this.until.get(provider) ?? 0)) this.until.set(provider, until);
    });
  }

  note(provider: string, failure: UpstreamError, now: number): void {
    if (!policyOf(failure).coolsDown || failure.retryAfterMs === undefined) return;
    const remainingMs = failure.retryAfterMs;
    this.until.set(provider, now + remainingMs);
    const store = this.shared?.store;
    if (store === undefined || remainingMs <= 0) return;
    const shared: SharedCoolDown = { origin: this.instanceId, remainingMs };
    writeInBackground(() => store.set(COOL_DOWN_PREFIX + provider, shared, remainingMs));
  }

  /** Ms left of the provider's cool-down, or undefined when it has none (any more). */
  remainingMs(provider: string, now: number): number | undefined {
    const until = this.until.get(provider);
    if (until === undefined) return undefined;
    if (until > now) return until - now;
    this.until.delete(provider);
    return undefined;
  }
}

const COOL_DOWN_PREFIX = 'cooldown:';

interface SharedCoolDown {
  origin: string;
  remainingMs: number;
}

function isSharedCoolDown(value: unknown): value is SharedCoolDown {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<SharedCoolDown>;
  return typeof candidate.origin === 'string' && typeof candidate.remainingMs === 'number';
}

export function admit(
  target: Target,
  estimatedTokens: number,
  now: number,
  dependencies: RouterDependencies,
  coolDowns: CoolDowns,
): Admission | Skip | Promise<Admission | Skip> {
  const cooling = coolDowns.remainingMs(target.provider.id, now);
  if (cooling !== undefined)
    return skipOf(target, 'rate_limited', `rate limited upstream, retry in ${cooling} ms`, cooling);
  const circuit = dependencies.circuits.decide(target.provider.id, target.model);
  if (!circuit.allowed)
    return skipOf(target, 'circuit_open', `circuit ${circuit.state}`, circuit.retryAfterMs);
  const { limiter } = dependencies;
  // Multi-instance mode: the fleet's shared store decides the quota, one round trip.
  if (limiter.shared)
    return limiter
      .acquireShared(target.provider.id, target.provider.limits, estimatedTokens)
      .then((quota) => gateOf(target, quota, dependencies));
  const quota = limiter.acquire(target.provider.id, target.provider.limits, estimatedTokens);
  return gateOf(target, quota, dependencies);
}

function gateOf(
  target: Target,
  quota: ProviderAcquireResult,
  { circuits }: RouterDependencies,
): Admission | Skip {
  if (!quota.ok) {
    // The circuit's probe slot taken by `decide` is not used after all.
    circuits.release(target.provider.id, target.model);
    return skipOf(target, 'limit', quota.reason, quota.retryAfterMs);
  }
  let released = false;
  return {
    type: 'admitted',
    release: (tokens) => {
      if (released) return;
      released = true;
      quota.release?.(tokens);
    },
  };
}
