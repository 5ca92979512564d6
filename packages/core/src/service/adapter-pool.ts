// One adapter per configured provider, kept across config changes while the provider's config
// is unchanged (so its connections, health and circuits stay), closed when it goes away.
import type { GatewayConfig, ProviderConfig } from '../config/config-schema.ts';
import type { HealthTarget } from '../resilience/health-monitor.ts';
import { createAdapter, findDefinition } from '../config/provider-registry.ts';
import { UpstreamError } from '../spec/errors.ts';
import type { NativeDialect } from '../spec/native-dialect.ts';
import type { AdapterRegistry, ProviderAdapter } from '../spec/provider-adapter.ts';

interface PooledAdapter {
  adapter: ProviderAdapter;
  /** The provider config the adapter was built from. */
  signature: string;
}

export class AdapterPool {
  private adapters = new Map<string, PooledAdapter>();

  constructor(private readonly registry: AdapterRegistry) {}

  /** Whether a provider's type speaks a client dialect natively. */
  speaks(provider: ProviderConfig, dialect: NativeDialect): boolean {
    const dialects = findDefinition(this.registry, provider.type)?.capabilities.nativeDialects;
    return dialects?.includes(dialect) ?? false;
  }

  /** Whether any of these providers' types streams without reporting usage (it must be counted). */
  someLackStreamingUsage(providers: readonly ProviderConfig[]): boolean {
    return providers.some(
      (provider) =>
        findDefinition(this.registry, provider.type)?.capabilities.streamingUsage === false,
    );
  }

  /** Whether a provider's model continues from an assistant prefill: the model's word, else its type's. */
  acceptsPrefill(provider: ProviderConfig, modelPrefill: boolean | undefined): boolean {
    if (modelPrefill !== undefined) return modelPrefill;
    return findDefinition(this.registry, provider.type)?.capabilities.assistantPrefill ?? false;
  }

  /** Builds adapters for new or changed providers and closes those no longer configured. */
  sync(providers: readonly ProviderConfig[]): void {
    const next = new Map<string, PooledAdapter>();
    for (const provider of providers) {
      const signature = JSON.stringify(provider);
      const existing = this.adapters.get(provider.id);
      if (existing && existing.signature === signature) {
        next.set(provider.id, existing);
        continue;
      }
      const adapter = createAdapter(this.registry, provider);
      if (adapter) next.set(provider.id, { adapter, signature });
    }
    for (const [id, entry] of this.adapters) {
      if (next.get(id) !== entry) void entry.adapter.close?.().catch(() => undefined);
    }
    this.adapters = next;
  }

  get(providerId: string): ProviderAdapter | undefined {
    return this.adapters.get(providerId)?.adapter;
  }

  /** The provider's adapter; throws when its type has none. */
  require(provider: ProviderConfig): ProviderAdapter {
    const adapter = this.get(provider.id);
    if (adapter) return adapter;
    throw new UpstreamError({
      kind: 'bad_request',
      message: `No adapter is available for provider type "${provider.type}"`,
      provider: provider.id,
      retryable: false,
    });
  }

  /** What the health monitor checks: every enabled provider, probed through its adapter. */
  healthTargets(config: GatewayConfig): HealthTarget[] {
    return config.providers
      .filter((provider) => provider.enabled)
      .map((provider) => {
        const adapter = this.get(provider.id);
        const healthCheck = provider.healthCheck ?? config.healthCheck;
        return {
          providerId: provider.id,
          ...(provider.endpoint ? { endpoint: provider.endpoint } : {}),
          ...(healthCheck ? { healthCheck } : {}),
          ...(adapter
            ? {
                probe: (options: Parameters<ProviderAdapter['probe']>[0]) => adapter.probe(options),
              }
            : {}),
        };
      });
  }

  /** The adapters by provider id, as the router takes them. */
  byProvider(): Map<string, ProviderAdapter> {
    return new Map([...this.adapters].map(([id, entry]) => [id, entry.adapter]));
  }

  async close(): Promise<void> {
    const adapters = [...this.adapters.values()];
    this.adapters.clear();
    await Promise.all(adapters.map(({ adapter }) => adapter.close?.() ?? Promise.resolve()));
  }
}
