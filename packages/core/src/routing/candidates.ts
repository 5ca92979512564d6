// The candidates of a plan: its targets in the strategy's order, and the reasons to pass one by
// (no adapter, unhealthy) returned as values for the trace to record.
import type { Strategy } from '../config/config-schema.ts';
import type { AttemptRecord } from '../spec/errors.ts';
import type { ProviderAdapter } from '../spec/provider-adapter.ts';
import type { RouterDependencies } from './route-types.ts';
import type { RoutePlan, Target } from './routing-table.ts';
import { orderTargets } from './strategies.ts';

/** A target passed by without calling it; nothing is charged to the provider. */
export interface Skip {
  type: 'skip';
  record: AttemptRecord;
  /** When trying it again could succeed, if known. */
  retryAfterMs?: number | undefined;
}

export interface Ready {
  type: 'ready';
  adapter: ProviderAdapter;
}

export function skipOf(
  target: Target,
  kind: NonNullable<AttemptRecord['kind']>,
  message: string,
  retryAfterMs?: number,
): Skip {
  return {
    type: 'skip',
    record: {
      provider: target.provider.id,
      model: target.model,
      outcome: 'skipped',
      kind,
      message,
      latencyMs: 0,
    },
    retryAfterMs,
  };
}

export interface CandidateEstimate {
  inputTokens: number;
  outputTokens: number;
}

/** The plan's targets in the order its strategy (or the request's) puts them. */
export function orderCandidates(
  plan: RoutePlan,
  strategy: Strategy | undefined,
  cursor: number,
  dependencies: RouterDependencies,
  estimate: CandidateEstimate,
): Target[] {
  const { circuits, health, limiter, random } = dependencies;
  return orderTargets(strategy ?? plan.strategy, plan.targets, {
    random,
    cursor,
    latency: (id) => health.latencyEstimate(id),
    inFlight: (id) => limiter.inFlight(id),
    trafficShare: (id) => circuits.peek(id).weight,
    estimatedInputTokens: estimate.inputTokens,
    estimatedOutputTokens: estimate.outputTokens,
  });
}

/** Whether a target can be tried at all: it has an adapter, and its provider model is healthy. */
export function screenCandidate(target: Target, dependencies: RouterDependencies): Ready | Skip {
  const adapter = dependencies.adapters.get(target.provider.id);
  if (!adapter) return skipOf(target, 'connection', `no adapter for type ${target.provider.type}`);
  const availability = dependencies.health.availability(target.provider.id, target.model);
  if (availability.available) return { type: 'ready', adapter };
  // The health error itself (an upstream's text) is for operators: /health/providers and logs.
  return skipOf(target, 'connection', 'unhealthy', availability.retryAfterMs);
}

/** Refuses targets a request may not be sent to, before health and circuits are looked at. */
export interface TargetScreen {
  /** A skip when `target` may not be tried; may remember the target (the first one anchors). */
  screen(target: Target, adapter: ProviderAdapter | undefined): Skip | undefined;
  /** Whether `target` would be accepted now, without remembering anything. */
  accepts(target: Target, adapter: ProviderAdapter | undefined): boolean;
}
