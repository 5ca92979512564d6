// The `gcp` (the seed's name) and `gemini` provider types: the Gemini API. The dashboard offers it
// once, as `gemini`; `gcp` keeps its form (with the seed's project id) for the seed's providers.
import { environmentValue, type ProviderDefinition, type ProviderTemplate } from '@switchyard/core';
import { apiKeyField, cloud } from '../provider-template-fields.ts';
import { createGeminiAdapter } from './gemini-chat-model.ts';
import {
  GEMINI_DEFAULT_ENDPOINT,
  geminiSettingsSchema,
  type GeminiSettings,
} from './gemini-settings.ts';

function template(type: 'gcp' | 'gemini'): ProviderTemplate {
  return {
    type,
    label: 'Google Gemini',
    ...(type === 'gcp' ? { aliasOf: 'gemini' } : {}),
    defaultEndpoint: GEMINI_DEFAULT_ENDPOINT,
    fields: [
      apiKeyField(true),
      ...(type === 'gcp'
        ? [{ name: 'config.projectId', label: 'Project ID', secret: false, required: false }]
        : []),
    ],
    docs: 'https://ai.google.dev/api',
  };
}

export const geminiDefinition: ProviderDefinition<GeminiSettings> = {
  types: ['gcp', 'gemini'],
  settingsSchema: geminiSettingsSchema,
  environmentPrefixes: ['GEMINI_', 'GOOGLE_', 'GCP_API_KEY'],
  capabilities: {
    streamingUsage: true,
    tools: true,
    structuredOutput: true,
    assistantPrefill: false,
    embeddings: false,
    modelListing: true,
  },
  templates: [template('gcp'), template('gemini')],
  defaultEndpoint: () => GEMINI_DEFAULT_ENDPOINT,
  isLocal: cloud,
  fromEnvironment(env) {
    const apiKey = environmentValue(env, 'GEMINI_API_KEY', 'GCP_API_KEY', 'GOOGLE_API_KEY');
    if (!apiKey) return [];
    const projectId = environmentValue(env, 'GCP_PROJECT_ID');
    return [
      {
        id: 'gcp',
        name: 'Google AI',
        type: 'gcp',
        endpoint: GEMINI_DEFAULT_ENDPOINT,
        apiKey,
        config: projectId ? { projectId } : {},
        priority: 4,
      },
    ];
  },
  create: createGeminiAdapter,
};
