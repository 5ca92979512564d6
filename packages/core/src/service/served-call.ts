// One request on its way through the gateway, and the "who served it" fields both modes report.
import type { RequestStart } from '../metrics/request-reporter.ts';
import type { BodyLogging } from '../metrics/body-capture.ts';
import type { CacheSlot } from '../cache/cache-slot.ts';
import type { RouteOptions, RouteTrace } from '../routing/router.ts';
import type { RoutePlan, Target } from '../routing/routing-table.ts';
import type { CompletionResult } from './completion-result.ts';

/** One request on its way through `serve`. */
export interface ServedCall {
  start: RequestStart;
  options: RouteOptions;
  plan: RoutePlan;
  slot: CacheSlot | undefined;
  /** How this request's bodies are logged (undefined: not at all). */
  logging: BodyLogging | undefined;
}

export function servedFields(call: ServedCall, target: Target, trace: RouteTrace) {
  return {
    route: call.plan.name,
    provider: target.provider.id,
    model: target.model,
    attempts: trace.attempts,
    cached: call.slot !== undefined,
  };
}

export function servedBy(
  call: ServedCall,
  target: Target,
  trace: RouteTrace,
): Omit<CompletionResult<never>, 'output' | 'done'> {
  return {
    requestId: call.start.requestId,
    provider: target.provider.id,
    model: target.model,
    attempts: trace.attempts,
    cache: call.slot !== undefined ? 'miss' : undefined,
  };
}
