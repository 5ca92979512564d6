// The `cohere` provider type: Cohere's v2 Chat API.
import type { ProviderDefinition } from '@switchyard/core';
import { apiKeyField, cloud } from '../provider-template-fields.ts';
import { createCohereAdapter } from './cohere-chat-model.ts';
import {
  COHERE_DEFAULT_ENDPOINT,
  cohereSettingsSchema,
  type CohereSettings,
} from './cohere-settings.ts';

export const cohereDefinition: ProviderDefinition<CohereSettings> = {
  types: ['cohere'],
  settingsSchema: cohereSettingsSchema,
  environmentPrefixes: ['COHERE_'],
  capabilities: {
    streamingUsage: true,
    tools: true,
    structuredOutput: true,
    assistantPrefill: false,
    embeddings: false,
    modelListing: true,
  },
  templates: [
    {
      type: 'cohere',
      label: 'Cohere',
      defaultEndpoint: COHERE_DEFAULT_ENDPOINT,
      fields: [apiKeyField(true)],
      docs: 'https://docs.cohere.com/reference/chat',
    },
  ],
  defaultEndpoint: () => COHERE_DEFAULT_ENDPOINT,
  isLocal: cloud,
  create: createCohereAdapter,
};
