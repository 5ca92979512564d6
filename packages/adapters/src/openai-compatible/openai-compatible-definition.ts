// One provider definition per OpenAI-compatible preset (LM Studio, Ollama, vLLM, LocalAI, any
// other server): the OpenAI adapter configured by the preset.
import {
  environmentList,
  type Environment,
  type ProviderDefinition,
  type ProviderInput,
  type ProviderTemplate,
} from '@switchyard/core';
import { apiKeyField, endpointField, probeAt } from '../provider-template-fields.ts';
import { createOpenAICompatibleAdapter } from './openai-compatible-chat-model.ts';
import {
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatibleType,
} from './openai-compatible-presets.ts';
import {
  openAICompatibleSettingsSchema,
  type OpenAICompatibleSettings,
} from './openai-compatible-settings.ts';

const LOOPBACK = /^https?:\/\/(127\.|localhost|\[::1\])/;

function template(type: OpenAICompatibleType, preset: OpenAICompatiblePreset): ProviderTemplate {
  const defaultEndpoint = preset.defaultEndpoint;
  return {
    type,
    label: preset.label,
    ...(defaultEndpoint ? { defaultEndpoint } : {}),
    fields: defaultEndpoint
      ? [apiKeyField(false)]
      : [endpointField('http://127.0.0.1:8000'), apiKeyField(false)],
    ...(preset.healthCheckPath ? { healthCheck: probeAt(preset.healthCheckPath) } : {}),
    ...(preset.docs ? { docs: preset.docs } : {}),
  };
}

/** The seed's CUSTOM_ENDPOINTS + CUSTOM_API_KEYS: bare endpoints with no declared mapping. */
function customEndpointsFromEnv(env: Environment): ProviderInput[] {
  const keys = environmentList(env, 'CUSTOM_API_KEYS');
  return environmentList(env, 'CUSTOM_ENDPOINTS').map((endpoint, index) => {
    const apiKey = keys[index];
    return {
      id: `custom-${index + 1}`,
      name: `Custom endpoint ${index + 1}`,
      type: 'openai-compatible',
      endpoint,
      ...(apiKey ? { apiKey } : {}),
      priority: 6 + index,
    };
  });
}

function presetDefinition(
  type: OpenAICompatibleType,
): ProviderDefinition<OpenAICompatibleSettings> {
  const preset: OpenAICompatiblePreset = OPENAI_COMPATIBLE_PRESETS[type];
  return {
    types: [type],
    settingsSchema: openAICompatibleSettingsSchema,
    capabilities: {
      streamingUsage: preset.streamUsage,
      tools: true,
      structuredOutput: preset.jsonObject,
      assistantPrefill: false,
      embeddings: false,
      modelListing: true,
    },
    templates: [template(type, preset)],
    defaultEndpoint: () => preset.defaultEndpoint,
    isLocal: (provider) => preset.local || LOOPBACK.test(provider.endpoint ?? ''),
    ...(type === 'openai-compatible'
      ? { fromEnvironment: customEndpointsFromEnv, environmentPrefixes: ['CUSTOM_'] }
      : {}),
    create: createOpenAICompatibleAdapter,
  };
}

/** Every preset as a definition, in the presets' order: a new server is one more preset row. */
export const openAICompatibleDefinitions: ProviderDefinition<OpenAICompatibleSettings>[] = (
  Object.keys(OPENAI_COMPATIBLE_PRESETS) as OpenAICompatibleType[]
).map(presetDefinition);
