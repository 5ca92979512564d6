// Routing strategies: each orders a route's candidates; the router then tries them in that order.
// Candidates that cannot take traffic (open circuit, unhealthy, at quota) are filtered before.
import type { Strategy } from '../config/config-schema.ts';
import type { RandomSource } from '../util/random.ts';
import type { RoutingTable, Target } from './routing-table.ts';

export interface StrategyContext {
  random: RandomSource;
  /**
   * Next round-robin position for this route; the caller advances it (for the whole fleet in
   * multi-instance mode: `state/route-cursors.ts`).
   */
  cursor: number;
  /** Decaying average latency (ms), undefined when not yet measured. */
  latency(providerId: string): number | undefined;
  inFlight(providerId: string): number;
  /** 0..1 share during a circuit's slow start (1 = full traffic). */
  trafficShare(providerId: string): number;
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
}

type Order = (targets: readonly Target[], context: StrategyContext) => Target[];

const priority: Order = (targets) => [...targets];

const roundRobin: Order = (targets, context) => {
  if (targets.length === 0) return [];
  const start = context.cursor % targets.length;
  return [...targets.slice(start), ...targets.slice(0, start)];
};

/** Weighted random order without replacement (each pick proportional to the remaining weights). */
const weighted: Order = (targets, context) => {
  const pool = targets.map((target) => ({
    target,
    weight: target.weight * context.trafficShare(target.provider.id),
  }));
  const ordered: Target[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, entry) => sum + entry.weight, 0);
    let index = 0;
    if (total > 0) {
      let pick = context.random() * total;
      index = pool.findIndex((entry) => (pick -= entry.weight) < 0);
      if (index === -1) index = pool.length - 1;
    }
    const [entry] = pool.splice(index, 1);
    if (entry) ordered.push(entry.target);
  }
  return ordered;
};

/** Lower is better: decaying latency scaled by the work already in flight. Unmeasured providers look fast so they get measured. */
function loadScore(target: Target, context: StrategyContext): number {
  const latency = context.latency(target.provider.id) ?? 1;
  const share = Math.max(0.05, context.trafficShare(target.provider.id));
  return (latency * (1 + context.inFlight(target.provider.id))) / share;
}

/** Power of two choices: the better of two random candidates first, the rest by score. */
const healthBased: Order = (targets, context) => {
  if (targets.length <= 1) return [...targets];
  const first = Math.floor(context.random() * targets.length);
  let second = Math.floor(context.random() * (targets.length - 1));
  if (second >= first) second++;
  const a = targets[first];
  const b = targets[second];
  if (!a || !b) return [...targets];
  const winner = loadScore(a, context) <= loadScore(b, context) ? a : b;
  const rest = targets
    .filter((target) => target !== winner)
    .sort((x, y) => loadScore(x, context) - loadScore(y, context));
  return [winner, ...rest];
};

const leastBusy: Order = (targets, context) =>
  targets
    .map((target, index) => ({ target, index, busy: context.inFlight(target.provider.id) }))
    .sort((a, b) => a.busy - b.busy || a.index - b.index)
    .map((entry) => entry.target);

/** Cheapest first among targets whose context window fits the request; the rest after, by price. */
const cost: Order = (targets, context) => {
  const needed = context.estimatedInputTokens + context.estimatedOutputTokens;
  return targets
    .map((target, index) => {
      const window = target.modelConfig?.contextWindow;
      const fits = window === undefined || window >= needed;
      const price =
        target.modelConfig?.inputPricePerMTok === undefined
          ? Number.POSITIVE_INFINITY
          : (context.estimatedInputTokens * target.modelConfig.inputPricePerMTok +
              context.estimatedOutputTokens * (target.modelConfig.outputPricePerMTok ?? 0)) /
            1_000_000;
      return { target, index, fits, price };
    })
    .sort((a, b) => Number(b.fits) - Number(a.fits) || a.price - b.price || a.index - b.index)
    .map((entry) => entry.target);
};

const STRATEGY_ORDER: Record<Strategy, Order> = {
  priority,
  'round-robin': roundRobin,
  weighted,
  'health-based': healthBased,
  'least-busy': leastBusy,
  cost,
};

export function orderTargets(
  strategy: Strategy,
  targets: readonly Target[],
  context: StrategyContext,
): Target[] {
  return STRATEGY_ORDER[strategy](targets, context);
}

export function isStrategy(value: string | null | undefined): value is Strategy {
  return value !== null && value !== undefined && Object.hasOwn(STRATEGY_ORDER, value);
}

/** The plans a table routes round-robin by their own strategy: routes, public model names, `default`. */
export function roundRobinPlanNames(table: RoutingTable): string[] {
  const fallback = table.config.loadBalancing;
  const names = new Set(fallback === 'round-robin' ? [...table.modelNames(), 'default'] : []);
  for (const route of table.routes.values()) {
    if ((route.strategy ?? fallback) === 'round-robin') names.add(route.name);
    else names.delete(route.name);
  }
  return [...names];
}
