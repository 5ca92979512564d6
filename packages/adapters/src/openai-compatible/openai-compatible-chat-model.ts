// OpenAI-compatible servers (LM Studio, Ollama, vLLM, LocalAI, any other): the OpenAI adapter
// configured by the provider type's preset.
import { ConfigError, type ProviderAdapter, type ProviderConfig } from '@switchyard/core';
import { createOpenAIChatModel, openAIBaseUrl } from '../openai/index.ts';
import {
  isOpenAICompatibleType,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
} from './openai-compatible-presets.ts';
import {
  openAICompatibleSettingsSchema,
  type OpenAICompatibleSettings,
} from './openai-compatible-settings.ts';

function presetFor(provider: ProviderConfig): OpenAICompatiblePreset {
  if (!isOpenAICompatibleType(provider.type)) {
    throw new ConfigError([
      { path: 'type', message: `${provider.type} is not an OpenAI-compatible server type` },
    ]);
  }
  return OPENAI_COMPATIBLE_PRESETS[provider.type];
}

export function createOpenAICompatibleAdapter(
  provider: ProviderConfig,
  settings: OpenAICompatibleSettings = openAICompatibleSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const preset = presetFor(provider);
  const endpoint = provider.endpoint ?? preset.defaultEndpoint;
  if (!endpoint)
    throw new ConfigError([{ path: 'endpoint', message: `is required for type ${provider.type}` }]);
  const base = openAIBaseUrl(endpoint);
  // Local servers usually run without a key; when one is set it is a bearer token on all of them.
  const auth: Record<string, string> = provider.apiKey
    ? { authorization: `Bearer ${provider.apiKey}` }
    : {};
  return createOpenAIChatModel({
    provider,
    vendor: preset.vendor,
    chatUrl: () => `${base}/v1/chat/completions`,
    modelsUrl: `${base}/v1/models`,
    probe: { url: `${base}${preset.probePath}`, check: `GET ${preset.probePath}` },
    headers: { ...auth, ...settings.headers },
    capabilities: {
      streamUsage: preset.streamUsage,
      maxCompletionTokens: preset.maxCompletionTokens,
      imageUrls: preset.imageUrls,
      toolChoice: preset.toolChoice,
      jsonObject: preset.jsonObject,
      unsupported: preset.unsupported,
    },
    modelLoading: preset.modelLoading,
  });
}
