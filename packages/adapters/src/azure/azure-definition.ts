// The `azure` provider type: Azure OpenAI, the OpenAI adapter with Azure's URLs and auth.
import { environmentValue, type ProviderDefinition } from '@switchyard/core';
import { apiKeyField, cloud, endpointField } from '../provider-template-fields.ts';
import { createAzureAdapter } from './azure-chat-model.ts';
import { azureSettingsSchema, type AzureSettings } from './azure-settings.ts';

export const azureDefinition: ProviderDefinition<AzureSettings> = {
  types: ['azure'],
  settingsSchema: azureSettingsSchema,
  environmentPrefixes: ['AZURE_OPENAI_', 'AZURE_API_KEY'],
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
      type: 'azure',
      label: 'Azure OpenAI',
      fields: [
        endpointField('https://your-resource.openai.azure.com'),
        apiKeyField(true),
        {
          name: 'config.apiVersion',
          label: 'API version',
          secret: false,
          required: false,
          hint: 'Empty: 2024-10-21.',
        },
        {
          name: 'config.deployment',
          label: 'Default deployment',
          secret: false,
          required: false,
          hint: 'Served when a request names no model this provider lists.',
        },
      ],
      docs: 'https://learn.microsoft.com/azure/ai-services/openai/reference',
    },
  ],
  isLocal: cloud,
  fromEnvironment(env) {
    const apiKey = environmentValue(env, 'AZURE_OPENAI_API_KEY', 'AZURE_API_KEY');
    const endpoint = environmentValue(env, 'AZURE_OPENAI_ENDPOINT', 'AZURE_ENDPOINT');
    if (!apiKey || !endpoint) return [];
    const apiVersion = environmentValue(env, 'AZURE_OPENAI_API_VERSION', 'AZURE_API_VERSION');
    return [
      {
        id: 'azure',
        name: 'Azure OpenAI',
        type: 'azure',
        endpoint,
        apiKey,
        config: apiVersion ? { apiVersion } : {},
        priority: 2,
      },
    ];
  },
  create: createAzureAdapter,
};
