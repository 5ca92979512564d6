// The seed's CloudInferenceService: chat completions across the cloud providers only (the config's
// load balancing and retries), their health as the seed's array, provider tests, and provider
// management through the CloudConfigService. It shares the engine of the inferenceService, so a
// test or health check seen by one is seen by both.
import { isDeepStrictEqual } from 'node:util';
import {
  createAdapter,
  expandOpenAIChunk,
  parseChatRequest,
  parseConfig,
  type ChatCompletionResult,
  type Gateway,
  type ProviderConfig,
  type ServiceCallOptions,
  type StreamEvent,
} from '@switchyard/core';
import type { CloudConfigService } from './cloud-config-service.ts';
import type {
  ChatCompletionRequest,
  CloudConfig,
  CloudConfigSettings,
  CloudProvider,
  ProviderHealthStatus,
} from './seed-types.ts';

/** How long a test of a provider that is not configured yet may take. */
const UNSAVED_TEST_TIMEOUT_MS = 10_000;

export type CloudCallOptions = Pick<ServiceCallOptions, 'signal' | 'requestId' | 'strategy'>;

export class CloudInferenceService {
  private readonly gateway: Gateway;
  private readonly configService: CloudConfigService;

  constructor(gateway: Gateway, configService: CloudConfigService) {
    this.gateway = gateway;
    this.configService = configService;
  }

  /** Sends a chat completion to the cloud providers in the config's load-balancing order. */
  async chatCompletion(
    request: ChatCompletionRequest,
    options: CloudCallOptions = {},
  ): Promise<ChatCompletionResult> {
    const body = parseChatRequest(request);
    const result = await this.gateway.complete(body, this.context(options));
    return { ...result.output, provider: result.provider };
  }

  /** Streams a chat completion from the cloud providers as typed events. */
  async *stream(
    request: ChatCompletionRequest,
    options: CloudCallOptions = {},
  ): AsyncGenerator<StreamEvent> {
    const body = parseChatRequest(request);
    const result = await this.gateway.stream({ ...body, stream: true }, this.context(options));
    for await (const event of result.output) {
      if (event.type === 'openai-chunk') yield* expandOpenAIChunk(event);
      else yield event;
    }
  }

  /** Synchronous, as the seed calls it: each enabled cloud provider's latest health. */
  getHealthStatus(): ProviderHealthStatus[] {
    const cloud = new Set(this.cloudProviders().map((provider) => provider.id));
    return this.gateway
      .providerHealth()
      .filter((view) => cloud.has(view.providerId))
      .map((view) => ({
        providerId: view.providerId,
        isHealthy: view.isHealthy,
        ...(view.responseTime !== undefined ? { responseTime: view.responseTime } : {}),
        ...(view.error !== undefined ? { error: view.error } : {}),
        ...(view.lastCheckedAt !== undefined ? { lastChecked: new Date(view.lastCheckedAt) } : {}),
      }));
  }

  /**
   * Checks a provider now. A configured provider is checked by the health monitor, so the
   * result shows in `getHealthStatus()`; one not configured as given (a form not saved yet) is
   * probed on its own.
   */
  async testProvider(provider: CloudProvider): Promise<ProviderHealthStatus> {
    if (this.isConfiguredAsGiven(provider)) {
      const result = await this.gateway.testProvider(provider.id);
      return {
        providerId: result.providerId,
        isHealthy: result.ok,
        ...(result.latencyMs !== undefined ? { responseTime: result.latencyMs } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
        lastChecked: new Date(),
      };
    }
    return this.probeUnsaved(provider);
  }

  /** The enabled and disabled cloud providers, as configured. */
  getProviders(): CloudProvider[] {
    const cloud = new Set(this.cloudProviders().map((provider) => provider.id));
    return this.configService.getConfig().providers.filter((provider) => cloud.has(provider.id));
  }

  addProvider(provider: CloudProvider): Promise<CloudProvider> {
    return this.configService.addProvider(provider);
  }

  updateProvider(providerId: string, patch: Partial<CloudProvider>): Promise<CloudProvider> {
    return this.configService.updateProvider(providerId, patch);
  }

  removeProvider(providerId: string): Promise<void> {
    return this.configService.removeProvider(providerId);
  }

  getConfig(): CloudConfig {
    return this.configService.getConfig();
  }

  updateConfig(settings: CloudConfigSettings): Promise<CloudConfig> {
    return this.configService.updateConfig(settings);
  }

  private context(options: CloudCallOptions) {
    return {
      ...options,
      defaultProvider: 'cloud',
      autoFallback: false,
      strategy: options.strategy ?? this.gateway.currentConfig.loadBalancing,
    };
  }

  private cloudProviders(): ProviderConfig[] {
    return this.gateway.currentConfig.providers.filter((provider) => provider.local !== true);
  }

  private isConfiguredAsGiven(provider: CloudProvider): boolean {
    const configured = this.configService.getProvider(provider.id);
    return (
      configured !== undefined &&
      this.gateway.currentConfig.providers.some((candidate) => candidate.id === provider.id) &&
      isDeepStrictEqual(configured, provider)
    );
  }

  private async probeUnsaved(provider: CloudProvider): Promise<ProviderHealthStatus> {
    const checked = new Date();
    try {
      const [parsed] = parseConfig({ providers: [provider] }, this.gateway.registry).providers;
      const adapter = parsed ? createAdapter(this.gateway.registry, parsed) : undefined;
      if (!adapter) throw new Error(`unknown provider type "${provider.type}"`);
      const result = await adapter.probe({
        signal: AbortSignal.timeout(UNSAVED_TEST_TIMEOUT_MS),
        deadline: Date.now() + UNSAVED_TEST_TIMEOUT_MS,
      });
      return {
        providerId: provider.id,
        isHealthy: true,
        responseTime: result.latencyMs,
        lastChecked: checked,
      };
    } catch (error) {
      return {
        providerId: provider.id,
        isHealthy: false,
        error: error instanceof Error ? error.message : String(error),
        lastChecked: checked,
      };
    }
  }
}
