// The `openai` provider type: OpenAI's Chat Completions API.
import { environmentValue, type ProviderDefinition } from '@switchyard/core';
import { apiKeyField, cloud } from '../provider-template-fields.ts';
import { createOpenAIAdapter } from './openai-chat-model.ts';
import {
  OPENAI_DEFAULT_ENDPOINT,
  openAISettingsSchema,
  type OpenAISettings,
} from './openai-settings.ts';

export const openAIDefinition: ProviderDefinition<OpenAISettings> = {
  types: ['openai'],
  settingsSchema: openAISettingsSchema,
  environmentPrefixes: ['OPENAI_'],
  capabilities: {
    nativeDialects: ['openai-responses'],
    streamingUsage: true,
    tools: true,
    structuredOutput: true,
    assistantPrefill: false,
    embeddings: false,
    modelListing: true,
  },
  templates: [
    {
      type: 'openai',
      label: 'OpenAI',
      defaultEndpoint: OPENAI_DEFAULT_ENDPOINT,
      fields: [
        apiKeyField(true),
        { name: 'config.organization', label: 'Organization ID', secret: false, required: false },
        { name: 'config.project', label: 'Project ID', secret: false, required: false },
      ],
      docs: 'https://platform.openai.com/docs/api-reference/chat',
    },
  ],
  defaultEndpoint: () => OPENAI_DEFAULT_ENDPOINT,
  isLocal: cloud,
  fromEnvironment(env) {
    const apiKey = environmentValue(env, 'OPENAI_API_KEY');
    if (!apiKey) return [];
    return [
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        endpoint:
          environmentValue(env, 'OPENAI_ENDPOINT', 'OPENAI_BASE_URL') ?? OPENAI_DEFAULT_ENDPOINT,
        apiKey,
        priority: 1,
      },
    ];
  },
  create: createOpenAIAdapter,
};
