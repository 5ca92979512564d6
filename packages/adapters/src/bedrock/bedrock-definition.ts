// The `aws` (the seed's name) and `bedrock` provider types: AWS Bedrock's Converse API.
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
    label: type === 'aws' ? 'AWS Bedrock' : 'Amazon Bedrock',
    fields: [
      {
        name: 'config.region',
        label: 'Region',
        secret: false,
        required: true,
        placeholder: 'us-east-1',
      },
      apiKeyField(true, 'Access key ID'),
      { name: 'config.secretKey', label: 'Secret access key', secret: true, required: true },
      { name: 'config.sessionToken', label: 'Session token', secret: true, required: false },
      {
        name: 'config.modelId',
        label: 'Default model ID',
        secret: false,
        required: false,
        placeholder: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      },
      {
        name: 'config.controlPlaneEndpoint',
        label: 'Control-plane endpoint (model listing and health; default: beside the endpoint)',
        secret: false,
        required: false,
        placeholder: 'https://bedrock.us-east-1.amazonaws.com',
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
