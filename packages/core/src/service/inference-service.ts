// The seed's InferenceService API on top of the gateway engine: one object an app imports to
// send chat completions through local and cloud providers with routing and fallback, switch the
// default provider, and check health.
import { parseConfig } from '../config/parse-config.ts';
import type { ConfigInput, GatewayConfig } from '../config/config-schema.ts';
import { isLocalProvider, type DefaultProviderMode } from '../routing/routing-table.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import { describeFailure, GatewayError, ProviderTestError } from '../spec/errors.ts';
import { expandOpenAIChunk } from '../spec/openai-chunk.ts';
import type { AdapterRegistry, ModelInfo } from '../spec/provider-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { parseChatRequest } from '../spec/validation.ts';
import {
  Gateway,
  type GatewayOptions,
  type ProviderTestResult,
  type RequestContext,
} from './gateway.ts';

/** The seed's name for the default-provider switch: the routing table's `DefaultProviderMode`. */
export type ProviderSelection = DefaultProviderMode;

export type InferenceServiceOptions =
  | (Omit<GatewayOptions, 'config' | 'adapters'> & {
      /** A config object (the seed's CloudConfig shape or Switchyard's extended one) or an already parsed config. */
      config: ConfigInput | GatewayConfig;
      adapters: AdapterRegistry;
    })
  /** Wraps a running gateway engine (the gateway app and dashboard share one). */
  | { gateway: Gateway };

export interface ServiceConfig {
  defaultProvider?: ProviderSelection;
  cloudConfig?: { enabled?: boolean; autoFallback?: boolean };
}

export interface ProviderHealth {
  isHealthy: boolean;
  responseTime?: number;
  error?: string;
}

export type ServiceCallOptions = Pick<
  RequestContext,
  'signal' | 'strategy' | 'pinnedProvider' | 'requestId'
>;

export type ChatCompletionResult = ChatResponse & { provider: string };

export class InferenceService {
  readonly gateway: Gateway;
  private baseConfig: GatewayConfig;
  private selection: ProviderSelection;
  private autoFallback: boolean;
  private cloudEnabled = true;

  constructor(options: InferenceServiceOptions) {
    if ('gateway' in options) {
      this.gateway = options.gateway;
      this.baseConfig = options.gateway.currentConfig;
    } else {
      const { config, adapters, ...rest } = options;
      this.baseConfig = parseConfig(config, adapters);
      this.gateway = new Gateway({ ...rest, config: this.baseConfig, adapters });
    }
    this.selection = this.baseConfig.defaultProvider;
    this.autoFallback = this.baseConfig.autoFallback;
  }

  /** Sends a chat completion; the response names the provider that served it. */
  async chatCompletion(
    request: unknown,
    options: ServiceCallOptions = {},
  ): Promise<ChatCompletionResult> {
    const body = parseChatRequest(request);
    try {
      const result = await this.gateway.complete(body, this.context(options));
      return { ...result.output, provider: result.provider };
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Streams a chat completion as typed events (`start`, `text-delta`, `tool-call-delta`, `usage`, `finish`, `error`). */
  async *stream(request: unknown, options: ServiceCallOptions = {}): AsyncGenerator<StreamEvent> {
    const body = parseChatRequest(request);
    let result;
    try {
      result = await this.gateway.stream({ ...body, stream: true }, this.context(options));
    } catch (error) {
      throw this.explain(error);
    }
    for await (const event of result.output) {
      if (event.type === 'openai-chunk') yield* expandOpenAIChunk(event);
      else yield event;
    }
  }

  /** Chooses the default provider for requests that name no model. */
  switchProvider(selection: ProviderSelection): void {
    if (
      !['lm-studio', 'cloud', 'auto'].includes(selection) &&
      !this.gateway.currentConfig.providers.some((provider) => provider.id === selection)
    ) {
      throw new GatewayError({
        status: 404,
        type: 'not_found_error',
        code: 'provider_not_found',
        message: `Unknown provider "${selection}"`,
      });
    }
    this.selection = selection;
  }

  setConfig(config: ServiceConfig): void {
    if (config.defaultProvider !== undefined) this.switchProvider(config.defaultProvider);
    if (config.cloudConfig?.autoFallback !== undefined)
      this.autoFallback = config.cloudConfig.autoFallback;
    if (
      config.cloudConfig?.enabled !== undefined &&
      config.cloudConfig.enabled !== this.cloudEnabled
    ) {
      this.cloudEnabled = config.cloudConfig.enabled;
      this.gateway.updateConfig(this.effectiveConfig());
    }
  }

  /** Replaces the provider configuration (keeps the current selection when it still exists). */
  updateConfig(config: ConfigInput | GatewayConfig): void {
    this.baseConfig = parseConfig(config, this.gateway.registry);
    this.gateway.updateConfig(this.effectiveConfig());
  }

  getProvider(): ProviderSelection {
    return this.selection;
  }

  /** `lm-studio` and `cloud` when such providers are enabled, then every enabled provider id. */
  getAvailableProviders(): Promise<string[]> {
    const enabled = this.gateway.currentConfig.providers.filter((provider) => provider.enabled);
    const groups = [
      ...(enabled.some((provider) => isLocalProvider(provider)) ? ['lm-studio'] : []),
      ...(enabled.some((provider) => !isLocalProvider(provider)) ? ['cloud'] : []),
    ];
    return Promise.resolve([...groups, ...enabled.map((provider) => provider.id)]);
  }

  /** Runs the health check of a provider (or of every provider in the `lm-studio` / `cloud` group); true when healthy. */
  async testProvider(selection: ProviderSelection): Promise<boolean> {
    const ids = this.providerIds(selection);
    if (ids.length === 0) return false;
    const results = await Promise.all(ids.map((id) => this.gateway.testProvider(id)));
    return results.some((result) => result.ok);
  }

  /** Runs one provider's health check and reports latency or the error. */
  testProviderDetailed(providerId: string): Promise<ProviderTestResult> {
    return this.gateway.testProvider(providerId);
  }

  /** The models a provider offers, from its own model list. */
  listProviderModels(providerId: string): Promise<ModelInfo[]> {
    return this.gateway.listProviderModels(providerId);
  }

  /** Like `testProvider`, but throws `Provider test failed …` with the reason. */
  async assertProvider(selection: ProviderSelection): Promise<void> {
    const ids = this.providerIds(selection);
    if (ids.length === 0) throw new ProviderTestError(selection, 'no such enabled provider');
    const results = await Promise.all(ids.map((id) => this.gateway.testProvider(id)));
    if (!results.some((result) => result.ok))
      throw new ProviderTestError(
        selection,
        results.map((result) => `${result.providerId}: ${result.error ?? 'unhealthy'}`).join('; '),
      );
  }

  /** Health per provider id, plus the `lm-studio` and `cloud` groups as the seed reports them. */
  getHealthStatus(): Promise<Record<string, ProviderHealth>> {
    const views = this.gateway.providerHealth().filter((view) => view.enabled);
    const status: Record<string, ProviderHealth> = {};
    const group = (name: string, members: typeof views) => {
      if (members.length === 0) return;
      const healthy = members.filter((member) => member.isHealthy);
      const times = healthy
        .map((member) => member.responseTime)
        .filter((time): time is number => time !== undefined);
      status[name] = {
        isHealthy: healthy.length > 0,
        ...(times.length > 0 ? { responseTime: Math.min(...times) } : {}),
        ...(healthy.length === 0
          ? {
              error:
                members
                  .map((member) => member.error)
                  .filter(Boolean)
                  .join('; ') || 'unhealthy',
            }
          : {}),
      };
    };
    const config = this.gateway.currentConfig;
    const isLocal = (id: string) => {
      const provider = config.providers.find((candidate) => candidate.id === id);
      return provider ? isLocalProvider(provider) : false;
    };
    group(
      'lm-studio',
      views.filter((view) => isLocal(view.providerId)),
    );
    group(
      'cloud',
      views.filter((view) => !isLocal(view.providerId)),
    );
    for (const view of views) {
      status[view.providerId] = {
        isHealthy: view.isHealthy,
        ...(view.responseTime !== undefined ? { responseTime: view.responseTime } : {}),
        ...(view.error !== undefined ? { error: view.error } : {}),
      };
    }
    return Promise.resolve(status);
  }

  close(): Promise<void> {
    return this.gateway.close();
  }

  private context(options: ServiceCallOptions): RequestContext {
    return { ...options, defaultProvider: this.selection, autoFallback: this.autoFallback };
  }

  private providerIds(selection: ProviderSelection): string[] {
    const enabled = this.gateway.currentConfig.providers.filter((provider) => provider.enabled);
    if (selection === 'lm-studio')
      return enabled.filter((provider) => isLocalProvider(provider)).map((provider) => provider.id);
    if (selection === 'cloud')
      return enabled
        .filter((provider) => !isLocalProvider(provider))
        .map((provider) => provider.id);
    if (selection === 'auto') return enabled.map((provider) => provider.id);
    return enabled.filter((provider) => provider.id === selection).map((provider) => provider.id);
  }

  private effectiveConfig(): GatewayConfig {
    if (this.cloudEnabled) return this.baseConfig;
    return {
      ...this.baseConfig,
      providers: this.baseConfig.providers.map((provider) =>
        isLocalProvider(provider) ? provider : { ...provider, enabled: false },
      ),
    };
  }

  /** A provider chosen by id without fallback failed: say so the way the seed's callers check for. */
  private explain(error: unknown): unknown {
    const specific = !['lm-studio', 'cloud', 'auto'].includes(this.selection);
    if (specific && !this.autoFallback && error instanceof GatewayError && error.status >= 500) {
      return new ProviderTestError(this.selection, singleProviderReason(error), error);
    }
    return error;
  }
}

/**
 * Why the one chosen provider failed, without the router's "No healthy providers available"
 * wording: callers read that phrase as "everything is down", which is not what happened.
 */
function singleProviderReason(error: GatewayError): string {
  const failures = error.attempts.filter((attempt) => attempt.outcome === 'error');
  if (failures.length > 0) return failures.map((attempt) => describeFailure(attempt)).join('; ');
  return error.message.replace(/^No healthy providers available:\s*/, '') || 'unavailable';
}

export function createInferenceService(options: InferenceServiceOptions): InferenceService {
  return new InferenceService(options);
}
