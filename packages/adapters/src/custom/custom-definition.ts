// The `custom` provider type (the seed's): any HTTP JSON API described by `config.customFormat`.
import type { FieldIssue, ProviderDefinition } from '@switchyard/core';
import { apiKeyField, cloud, endpointField } from '../provider-template-fields.ts';
import { createCustomAdapter } from './custom-chat-model.ts';
import { validateCustomFormat } from './custom-format.ts';
import { customSettingsSchema, type CustomSettings } from './custom-settings.ts';

function customFormatIssues(settings: CustomSettings): FieldIssue[] {
  const format = settings.customFormat;
  if (!format) return [{ path: 'config.customFormat', message: 'is required for type custom' }];
  const issues: FieldIssue[] = [];
  if (!format.response && !format.stream && !format.embeddings)
    issues.push({
      path: 'config.customFormat.response',
      message:
        'is required: say where the text is in the answer (textPath), or describe embeddings only',
    });
  issues.push(...validateCustomFormat(format, 'config.customFormat'));
  return issues;
}

export const customDefinition: ProviderDefinition<CustomSettings> = {
  types: ['custom'],
  settingsSchema: customSettingsSchema,
  environmentPrefixes: ['CUSTOM_'],
  capabilities: {
    streamingUsage: false,
    tools: false,
    structuredOutput: false,
    assistantPrefill: false,
    embeddings: false,
    modelListing: false,
  },
  templates: [
    {
      type: 'custom',
      label: 'Custom HTTP endpoint',
      fields: [
        endpointField('https://your-custom-endpoint.com'),
        apiKeyField(false),
        {
          name: 'config.customFormat',
          label: 'Request/response mapping (JSON)',
          secret: false,
          required: true,
        },
      ],
    },
  ],
  isLocal: cloud,
  validate: (_provider, settings) => customFormatIssues(settings),
  create: createCustomAdapter,
};
