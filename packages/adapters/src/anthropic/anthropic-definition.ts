// The `anthropic` provider type: Anthropic's Messages API.
import { environmentValue, type ProviderDefinition } from '@switchyard/core';
import { apiKeyField, cloud } from '../provider-template-fields.ts';
import { createAnthropicAdapter } from './anthropic-chat-model.ts';
import {
  ANTHROPIC_DEFAULT_ENDPOINT,
  anthropicSettingsSchema,
  type AnthropicSettings,
} from './anthropic-settings.ts';

export const anthropicDefinition: ProviderDefinition<AnthropicSettings> = {
  types: ['anthropic'],
  settingsSchema: anthropicSettingsSchema,
  environmentPrefixes: ['ANTHROPIC_'],
  capabilities: {
    nativeDialects: ['messages'],
    streamingUsage: true,
    tools: true,
    structuredOutput: false,
    assistantPrefill: true,
    embeddings: false,
    modelListing: true,
  },
  templates: [
    {
      type: 'anthropic',
      label: 'Anthropic',
      defaultEndpoint: ANTHROPIC_DEFAULT_ENDPOINT,
      fields: [
        apiKeyField(true),
        {
          name: 'config.anthropicVersion',
          label: 'API version',
          secret: false,
          required: false,
          hint: 'Empty: 2023-06-01.',
        },
        {
          name: 'config.defaultMaxTokens',
          label: 'Default max tokens',
          secret: false,
          required: false,
          hint: 'Used when a request sets no max_tokens (Anthropic requires one). Empty: 4096.',
        },
      ],
      docs: 'https://docs.anthropic.com/en/api/messages',
    },
  ],
  defaultEndpoint: () => ANTHROPIC_DEFAULT_ENDPOINT,
  isLocal: cloud,
  fromEnvironment(env) {
    const apiKey = environmentValue(env, 'ANTHROPIC_API_KEY');
    if (!apiKey) return [];
    return [
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: ANTHROPIC_DEFAULT_ENDPOINT,
        apiKey,
        priority: 5,
      },
    ];
  },
  create: createAnthropicAdapter,
};
