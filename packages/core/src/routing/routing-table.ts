// The config compiled once per load into lookups the request path uses: routes by name,
// providers by id, and public model names to the providers offering them. Nothing here is
// recomputed per request.
import type {
  GatewayConfig,
  ModelConfig,
  ProviderConfig,
  RouteConfig,
  Strategy,
} from '../config/config-schema.ts';

/** One provider that can serve a request, with the vendor model it will be asked for. */
export interface Target {
  provider: ProviderConfig;
  /** The vendor model id sent upstream. */
  model: string;
  /** The provider's model entry (prices, context window), when configured. */
  modelConfig: ModelConfig | undefined;
  /** Relative share for the weighted strategy (route weight × provider weight). */
  weight: number;
}

export interface RoutePlan {
  /** The route name, public model name, or `default`. */
  name: string;
  route: RouteConfig | undefined;
  strategy: Strategy;
  targets: Target[];
}

export type DefaultProviderMode = 'lm-studio' | 'cloud' | 'auto' | (string & {});

/** Local inference servers as opposed to cloud providers; parseConfig sets `local` from the provider's definition. */
export function isLocalProvider(provider: Pick<ProviderConfig, 'local'>): boolean {
  return provider.local === true;
}

/** The vendor model a provider is asked for when a request names `requested` (or nothing). */
export function vendorModelFor(
  provider: ProviderConfig,
  requested: string | undefined,
): { model: string; modelConfig: ModelConfig | undefined } | undefined {
  if (requested !== undefined) {
    const entry = provider.models.find(
      (model) => model.name === requested || model.id === requested,
    );
    if (entry) return { model: entry.id ?? entry.name, modelConfig: entry };
    if (provider.models.length > 0) return undefined;
    // A provider configured with one model (the seed's `config.modelId`, or a deployment) serves that model.
    const single = provider.config?.modelId ?? provider.config?.deployment;
    return { model: single ?? requested, modelConfig: undefined };
  }
  const first = provider.models[0];
  const fallback =
    provider.config?.modelId ??
    provider.config?.deployment ??
    (first ? (first.id ?? first.name) : undefined);
  // Local servers answer with whatever model is loaded: an empty model leaves the choice to them.
  if (fallback === undefined)
    return isLocalProvider(provider) ? { model: '', modelConfig: undefined } : undefined;
  return {
    model: fallback,
    modelConfig: first && (first.id ?? first.name) === fallback ? first : undefined,
  };
}

export class RoutingTable {
  readonly config: GatewayConfig;
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  readonly routes: ReadonlyMap<string, RouteConfig>;
  /** Enabled providers in priority order. */
  readonly enabled: readonly ProviderConfig[];
  private readonly byPublicModel = new Map<string, Target[]>();
  /** Enabled providers with no models list: they take any model name. */
  private readonly openProviders: readonly ProviderConfig[];

  constructor(config: GatewayConfig) {
    this.config = config;
    this.providers = new Map(config.providers.map((provider) => [provider.id, provider]));
    this.routes = new Map(config.routes.map((route) => [route.name, route]));
    this.enabled = config.providers
      .map((provider, index) => ({ provider, index }))
      .filter(({ provider }) => provider.enabled)
      .sort((a, b) => a.provider.priority - b.provider.priority || a.index - b.index)
      .map(({ provider }) => provider);
    for (const provider of this.enabled) {
      for (const model of provider.models) {
        const targets = this.byPublicModel.get(model.name) ?? [];
        targets.push({
          provider,
          model: model.id ?? model.name,
          modelConfig: model,
          weight: provider.weight,
        });
        this.byPublicModel.set(model.name, targets);
      }
    }
    this.openProviders = this.enabled.filter((provider) => provider.models.length === 0);
  }

  /** Model names a key may use: routes plus public names from providers' model lists. */
  modelNames(): string[] {
    return [...new Set([...this.routes.keys(), ...this.byPublicModel.keys()])];
  }

  /**
   * A route's targets. Each target's model is the one it names, else the provider's default model
   * (`config.modelId`, `config.deployment`, or its first listed model), else the route name itself.
   * A route without targets spans every enabled provider.
   */
  routeTargets(route: RouteConfig): Target[] {
    const entries =
      route.targets.length > 0
        ? route.targets
        : this.enabled.map((provider) => ({ provider: provider.id, model: undefined, weight: 1 }));
    const targets: Target[] = [];
    for (const target of entries) {
      const provider = this.providers.get(target.provider);
      if (!provider?.enabled) continue;
      const model = target.model ?? vendorModelFor(provider, undefined)?.model ?? route.name;
      const modelConfig = provider.models.find(
        (entry) => (entry.id ?? entry.name) === model || entry.name === model,
      );
      targets.push({ provider, model, modelConfig, weight: target.weight * provider.weight });
    }
    return targets;
  }

  /** Targets for a public model name (providers listing it, then providers that take any name). */
  modelTargets(model: string): Target[] {
    const listed = this.byPublicModel.get(model) ?? [];
    const open = this.openProviders.map((provider) => ({
      provider,
      model,
      modelConfig: undefined,
      weight: provider.weight,
    }));
    return [...listed, ...open];
  }

  targetsFor(providers: readonly ProviderConfig[], requested: string | undefined): Target[] {
    const targets: Target[] = [];
    for (const provider of providers) {
      const resolved = vendorModelFor(provider, requested);
      if (resolved) targets.push({ provider, ...resolved, weight: provider.weight });
    }
    return targets;
  }

  /** Orders providers for the seed's default-provider switch (`lm-studio`, `cloud`, `auto`, or an id). */
  defaultProviders(mode: DefaultProviderMode, autoFallback: boolean): ProviderConfig[] {
    if (mode === 'auto') return [...this.enabled];
    const preferred =
      mode === 'lm-studio'
        ? this.enabled.filter((provider) => isLocalProvider(provider))
        : mode === 'cloud'
          ? this.enabled.filter((provider) => !isLocalProvider(provider))
          : this.enabled.filter((provider) => provider.id === mode);
    if (!autoFallback) return preferred;
    return [...preferred, ...this.enabled.filter((provider) => !preferred.includes(provider))];
  }
}
