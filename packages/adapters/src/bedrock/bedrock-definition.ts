// The `aws` (the seed's name) and `bedrock` provider types: AWS Bedrock's Converse API. One form
// serves both; the dashboard offers it once, as `bedrock`, and keeps `aws` for the seed's providers.
import { environmentValue, type ProviderDefinition, type ProviderTemplate } from '@switchyard/core';
import { apiKeyField, cloud } from '../provider-template-fields.ts';
import { createBedrockAdapter } from './bedrock-chat-model.ts';
import {
  bedrockRuntimeEndpoint,
  bedrockSettingsIssues,
  bedrockSettingsSchema,
  type BedrockSettings,
} from './bedrock-settings.ts';

function template(type: 'aws' | 'bedrock'): ProviderTemplate {
  return {
    type,
    label: 'Amazon Bedrock',
    ...(type === 'aws' ? { aliasOf: 'bedrock' } : {}),
    fields: [
      {
        name: 'config.region',
        label: 'Region',
        secret: false,
        required: true,
        defaultValue: 'us-east-1',
        hint: 'The AWS region whose Bedrock endpoint serves the requests.',
      },
      apiKeyField(true, 'Access key ID'),
      { name: 'config.secretKey', label: 'Secret access key', secret: true, required: true },
      { name: 'config.sessionToken', label: 'Session token', secret: true, required: false },
      {
        name: 'config.modelId',
        label: 'Default model ID',
        secret: false,
        required: false,
        hint: 'Optional: the Bedrock model id served when a request names none (empty: the first model listed below).',
      },
      {
        name: 'config.controlPlaneEndpoint',
        label: 'Control-plane endpoint',
        secret: false,
        required: false,
        hint: 'Used for model listing and health checks. Empty: the one of the region (bedrock.<region>.amazonaws.com).',
      },
    ],
    docs: 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html',
  };
}

export const bedrockDefinition: ProviderDefinition<BedrockSettings> = {
  types: ['aws', 'bedrock'],
  settingsSchema: bedrockSettingsSchema,
  environmentPrefixes: ['AWS_'],
  capabilities: {
    nativeDialects: ['messages'],
    streamingUsage: true,
    tools: true,
    structuredOutput: true,
    assistantPrefill: true,
    embeddings: false,
    modelListing: true,
  },
  templates: [template('aws'), template('bedrock')],
  missingEndpointMessage: 'is required (or set config.region)',
  defaultEndpoint: (settings) =>
    settings.region ? bedrockRuntimeEndpoint(settings.region) : undefined,
  isLocal: cloud,
  validate: bedrockSettingsIssues,
  fromEnvironment(env) {
    const accessKeyId = environmentValue(env, 'AWS_ACCESS_KEY_ID');
    const secretKey = environmentValue(env, 'AWS_SECRET_ACCESS_KEY');
    if (!accessKeyId || !secretKey) return [];
    const region = environmentValue(env, 'AWS_REGION') ?? 'us-east-1';
    const sessionToken = environmentValue(env, 'AWS_SESSION_TOKEN');
    const modelId = environmentValue(env, 'AWS_BEDROCK_MODEL_ID', 'BEDROCK_MODEL_ID');
    return [
      {
        id: 'aws',
        name: 'AWS Bedrock',
        type: 'aws',
        endpoint: bedrockRuntimeEndpoint(region),
        apiKey: accessKeyId,
        config: {
          region,
          secretKey,
          ...(sessionToken ? { sessionToken } : {}),
          ...(modelId ? { modelId } : {}),
        },
        priority: 3,
      },
    ];
  },
  create: createBedrockAdapter,
};
