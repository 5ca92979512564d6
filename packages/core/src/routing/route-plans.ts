// Which plans a request may take, in order: the plan its `model` (or pinned provider, or the
// default switch) resolves to, then — each route once — a larger-window route after a
// context-length error and the fallback chains of the routes tried.
import type { RouteConfig, Strategy } from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import {
  clientText,
  GatewayError,
  InvalidRequestError,
  NoHealthyProvidersError,
} from '../spec/errors.ts';
import type { RouteOptions } from './route-types.ts';
import type { RoutePlan, RoutingTable, Target } from './routing-table.ts';

/** Resolves which route a request takes and its targets, before any attempt. */
export function resolvePlan(
  table: RoutingTable,
  request: ChatRequest,
  options: RouteOptions,
): RoutePlan {
  const plan = unpinnedPlan(table, request, options);
  return options.pinnedProvider === undefined
    ? plan
    : pinnedPlan(table, plan, options.pinnedProvider);
}

function unpinnedPlan(table: RoutingTable, request: ChatRequest, options: RouteOptions): RoutePlan {
  const routeName = request.model ?? table.config.defaultRoute;
  const route = routeName !== undefined ? table.routes.get(routeName) : undefined;
  if (route) return planForRoute(table, route, options.strategy);
  if (request.model === undefined) return defaultPlan(table, options);
  return modelPlan(table, request.model, options.strategy);
}

/** A route's plan; its strategy unless the request asks for another. */
export function planForRoute(
  table: RoutingTable,
  route: RouteConfig,
  strategy: Strategy | undefined,
): RoutePlan {
  return {
    name: route.name,
    route,
    strategy: strategy ?? route.strategy ?? table.config.loadBalancing,
    targets: table.routeTargets(route),
  };
}

/**
 * `x-switchyard-provider`: one provider only, and only one the request's model could reach anyway
 * (a target of its plan, of its larger-window route or of its fallback chain), so a pin narrows
 * routing but never opens a provider the route (and so the key's permission) does not include.
 */
function pinnedPlan(table: RoutingTable, plan: RoutePlan, id: string): RoutePlan {
  const provider = table.providers.get(id);
  if (!provider)
    throw new GatewayError({
      status: 404,
      type: 'not_found_error',
      code: 'provider_not_found',
      message: `Unknown provider "${clientText(id)}" in x-switchyard-provider`,
      param: 'x-switchyard-provider',
    });
  if (!provider.enabled) throw new NoHealthyProvidersError(`provider "${provider.id}" is disabled`);
  const target = reachableTargets(table, plan).find((candidate) => candidate.provider.id === id);
  if (!target)
    throw new GatewayError({
      status: 403,
      type: 'permission_error',
      code: 'provider_not_allowed',
      message: `The provider "${provider.id}" in x-switchyard-provider does not serve "${plan.name}": pin one of its targets`,
      param: 'x-switchyard-provider',
    });
  return { name: plan.name, route: plan.route, strategy: 'priority', targets: [target] };
}

/** The plan's targets, then those of the routes it may continue on (each route once). */
function reachableTargets(table: RoutingTable, plan: RoutePlan): Target[] {
  const targets = [...plan.targets];
  const seen = new Set([plan.name]);
  const pending = plan.route ? [plan.route] : [];
  for (let route = pending.shift(); route !== undefined; route = pending.shift()) {
    const next = [
      ...(route.contextLengthFallback ? [route.contextLengthFallback] : []),
      ...route.fallbacks,
    ];
    for (const name of next) {
      const continued = table.routes.get(name);
      if (!continued || seen.has(name)) continue;
      seen.add(name);
      targets.push(...table.routeTargets(continued));
      pending.push(continued);
    }
  }
  return targets;
}

/** No model and no default route: the seed's default-provider switch picks the providers. */
function defaultPlan(table: RoutingTable, options: RouteOptions): RoutePlan {
  const config = table.config;
  const providers = table.defaultProviders(
    options.defaultProvider ?? config.defaultProvider,
    options.autoFallback ?? config.autoFallback,
  );
  // The seed's switch puts the chosen group first: keep that order unless a strategy is asked for.
  const strategy =
    options.strategy ??
    (config.defaultProvider === 'auto' && options.defaultProvider === undefined
      ? config.loadBalancing
      : 'priority');
  const targets = table.targetsFor(providers, undefined);
  if (targets.length === 0 && providers.length > 0) {
    throw new InvalidRequestError(
      'No model given and no provider has a default model: set "model", a default route, or a provider\'s models / config.modelId',
      'model',
      'model_required',
    );
  }
  return { name: 'default', route: undefined, strategy, targets };
}

/** A public model name: every provider offering it is a candidate. */
function modelPlan(
  table: RoutingTable,
  requested: string,
  strategy: Strategy | undefined,
): RoutePlan {
  const targets = table.modelTargets(requested);
  if (targets.length === 0) {
    throw new GatewayError({
      status: 404,
      type: 'not_found_error',
      code: 'model_not_found',
      message: `The model "${clientText(requested)}" does not exist: it is neither a route nor a model offered by a provider`,
      param: 'model',
    });
  }
  return {
    name: requested,
    route: undefined,
    strategy: strategy ?? table.config.loadBalancing,
    targets,
  };
}

/** The plan's larger-window route, tried after a context-length error, when it names one. */
export function contextFallbackRoute(
  table: RoutingTable,
  plan: RoutePlan,
): RouteConfig | undefined {
  const name = plan.route?.contextLengthFallback;
  return name !== undefined ? table.routes.get(name) : undefined;
}

/** The plans still to try, each route at most once. */
export class PlanQueue {
  private readonly queue: RoutePlan[];
  private readonly seen: Set<string>;

  /**
   * `pinned`: the request is pinned to one provider (`x-switchyard-provider`), so no fallback
   * route may take it elsewhere.
   */
  constructor(
    first: RoutePlan,
    private readonly table: RoutingTable,
    private readonly strategy: Strategy | undefined,
    private readonly pinned = false,
  ) {
    this.queue = [first];
    this.seen = new Set([first.name]);
  }

  next(): RoutePlan | undefined {
    return this.queue.shift();
  }

  /** Tries `route` right after the current plan (a larger window after a context-length error). */
  insertNext(route: RouteConfig): void {
    if (!this.pinned && this.mark(route))
      this.queue.unshift(planForRoute(this.table, route, this.strategy));
  }

  /** Tries the plan's fallback chain after everything already queued. */
  appendFallbacks(plan: RoutePlan): void {
    if (this.pinned) return;
    for (const name of plan.route?.fallbacks ?? []) {
      const route = this.table.routes.get(name);
      if (route && this.mark(route))
        this.queue.push(planForRoute(this.table, route, this.strategy));
    }
  }

  /** Whether another plan is queued, or would be once `plan`'s fallbacks are added. */
  hasMore(plan: RoutePlan): boolean {
    if (this.queue.length > 0) return true;
    if (this.pinned) return false;
    return (plan.route?.fallbacks ?? []).some(
      (name) => this.table.routes.has(name) && !this.seen.has(name),
    );
  }

  private mark(route: RouteConfig): boolean {
    if (this.seen.has(route.name)) return false;
    this.seen.add(route.name);
    return true;
  }
}
