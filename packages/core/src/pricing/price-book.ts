// Prices for the model that answered, and the cost of what it used. A provider's own model prices
// win; a model without any takes the catalogue's list price. Lookups are built once per catalogue.
import type { ModelConfig, ProviderConfig } from '../config/config-schema.ts';
import type { Usage } from '../spec/chat-response.ts';
import type { CatalogueModelPrices, PriceCatalogue } from './price-catalogue.ts';

/** USD per million tokens, by kind of token. */
export interface ModelPrices {
  input: number;
  output: number;
  cachedInput?: number | undefined;
  cacheWrite?: number | undefined;
  reasoning?: number | undefined;
}

export interface PricedModel {
  prices: ModelPrices;
  /** `model`: the provider's own model entry; `catalogue`: the list price of that `asOf`. */
  source: 'model' | 'catalogue';
}

interface CatalogueEntry {
  vendor: string;
  prices: CatalogueModelPrices;
}

// Some vendors wrap the model id: a resource path (`models/…`) or a cross-region prefix (`us.…`).
const WRAPPERS = [/^models\//, /^(?:us|eu|apac|jp|au|ca|us-gov|global)\./];

function normalise(id: string): string {
  let result = id.trim().toLowerCase();
  for (const wrapper of WRAPPERS) result = result.replace(wrapper, '');
  return result;
}

export class PriceBook {
  readonly asOf: string | undefined;
  private readonly byModel = new Map<string, CatalogueEntry[]>();
  private readonly vendorsByType = new Map<string, Set<string>>();

  constructor(catalogue: PriceCatalogue | undefined) {
    this.asOf = catalogue?.asOf;
    if (!catalogue) return;
    for (const [vendor, section] of Object.entries(catalogue.vendors)) {
      for (const type of section.providerTypes) {
        const vendors = this.vendorsByType.get(type) ?? new Set<string>();
        vendors.add(vendor);
        this.vendorsByType.set(type, vendors);
      }
      for (const [id, prices] of Object.entries(section.models)) {
        for (const name of [id, ...(prices.aliases ?? [])]) {
          const key = normalise(name);
          const entries = this.byModel.get(key) ?? [];
          entries.push({ vendor, prices });
          this.byModel.set(key, entries);
        }
      }
    }
  }

  /** The catalogue's prices for a vendor model id, preferring the vendor the provider type names. */
  catalogueFor(providerType: string, model: string): CatalogueModelPrices | undefined {
    const entries = this.byModel.get(normalise(model));
    if (!entries) return undefined;
    const preferred = this.vendorsByType.get(providerType);
    return (entries.find((entry) => preferred?.has(entry.vendor)) ?? entries[0])?.prices;
  }

  /**
   * What a target's model costs: its own prices when it has any (cached and cache-write tokens at
   * its input price then), else the catalogue's. Local servers take no list price.
   */
  pricesFor(
    provider: Pick<ProviderConfig, 'type' | 'local'>,
    model: string,
    modelConfig: ModelConfig | undefined,
  ): PricedModel | undefined {
    if (
      modelConfig &&
      (modelConfig.inputPricePerMTok !== undefined || modelConfig.outputPricePerMTok !== undefined)
    )
      return {
        source: 'model',
        prices: {
          input: modelConfig.inputPricePerMTok ?? 0,
          output: modelConfig.outputPricePerMTok ?? 0,
        },
      };
    if (provider.local === true) return undefined;
    const listed =
      this.catalogueFor(provider.type, model) ??
      (modelConfig ? this.catalogueFor(provider.type, modelConfig.name) : undefined);
    if (!listed) return undefined;
    return {
      source: 'catalogue',
      prices: {
        input: listed.input,
        output: listed.output,
        cachedInput: listed.cachedInput,
        cacheWrite: listed.cacheWrite,
        reasoning: listed.reasoning,
      },
    };
  }

  /** The cost in USD of a target's usage; undefined when its model has no price. */
  costOf(
    provider: Pick<ProviderConfig, 'type' | 'local'>,
    model: string,
    modelConfig: ModelConfig | undefined,
    usage: Usage | undefined,
  ): number | undefined {
    if (!usage) return undefined;
    const priced = this.pricesFor(provider, model, modelConfig);
    return priced ? usageCost(priced.prices, usage) : undefined;
  }
}

/**
 * The cost in USD of a unified usage. `inputTokens` is the whole prompt, cache reads and writes
 * included (the adapters map every vendor so); `reasoningTokens` are part of `outputTokens`.
 */
export function usageCost(prices: ModelPrices, usage: Usage): number {
  const cached = Math.max(0, usage.cachedInputTokens ?? 0);
  const written = Math.max(0, usage.cacheWriteInputTokens ?? 0);
  const uncached = Math.max(0, usage.inputTokens - cached - written);
  const reasoning =
    prices.reasoning === undefined
      ? 0
      : Math.min(Math.max(0, usage.reasoningTokens ?? 0), usage.outputTokens);
  const output = Math.max(0, usage.outputTokens - reasoning);
  const micro =
    uncached * prices.input +
    cached * (prices.cachedInput ?? prices.input) +
    written * (prices.cacheWrite ?? prices.input) +
    output * prices.output +
    reasoning * (prices.reasoning ?? prices.output);
  return micro / 1_000_000;
}
