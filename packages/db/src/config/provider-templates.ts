// What the dashboard's "add provider" form needs per type: the default endpoint, which fields to
// ask for (and which are write-only secrets), a suggested health check, and where the docs are.
import { PROVIDER_TYPES, type HealthCheckConfig, type ProviderType } from '@switchyard/core';

export interface ProviderTemplateField {
  /** `apiKey`, `endpoint`, or `config.<setting>`. */
  name: string;
  label: string;
  /** Write-only: stored encrypted, never sent back. */
  secret: boolean;
  required: boolean;
  placeholder?: string;
}

export interface ProviderTemplate {
  type: ProviderType;
  label: string;
  defaultEndpoint?: string;
  fields: ProviderTemplateField[];
  healthCheck?: HealthCheckConfig;
  docs?: string;
}

const apiKey = (required: boolean, label = 'API key'): ProviderTemplateField => ({
  name: 'apiKey',
  label,
  secret: true,
  required,
});
const endpoint = (placeholder: string): ProviderTemplateField => ({
  name: 'endpoint',
  label: 'Endpoint',
  secret: false,
  required: true,
  placeholder,
});
const probe = (url: string): HealthCheckConfig => ({
  url,
  method: 'GET',
  expectedStatus: 200,
  timeout: 5000,
});

const bedrock = (type: 'aws' | 'bedrock'): ProviderTemplate => ({
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
    apiKey(true, 'Access key ID'),
    { name: 'config.secretKey', label: 'Secret access key', secret: true, required: true },
    { name: 'config.sessionToken', label: 'Session token', secret: true, required: false },
    {
      name: 'config.modelId',
      label: 'Default model ID',
      secret: false,
      required: false,
      placeholder: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    },
  ],
  docs: 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html',
});

const gemini = (type: 'gcp' | 'gemini'): ProviderTemplate => ({
  type,
  label: type === 'gcp' ? 'Google AI' : 'Google Gemini',
  defaultEndpoint: 'https://generativelanguage.googleapis.com',
  fields: [
    apiKey(true),
    ...(type === 'gcp'
      ? [{ name: 'config.projectId', label: 'Project ID', secret: false, required: false }]
      : []),
  ],
  docs: 'https://ai.google.dev/api',
});

const local = (
  type: 'lmstudio' | 'ollama' | 'vllm' | 'localai',
  label: string,
  defaultEndpoint: string,
  health: string,
  docs: string,
): ProviderTemplate => ({
  type,
  label,
  defaultEndpoint,
  fields: [apiKey(false)],
  healthCheck: probe(health),
  docs,
});

const templates: Record<ProviderType, ProviderTemplate> = {
  openai: {
    type: 'openai',
    label: 'OpenAI',
    defaultEndpoint: 'https://api.openai.com',
    fields: [
      apiKey(true),
      { name: 'config.organization', label: 'Organization ID', secret: false, required: false },
      { name: 'config.project', label: 'Project ID', secret: false, required: false },
    ],
    docs: 'https://platform.openai.com/docs/api-reference/chat',
  },
  azure: {
    type: 'azure',
    label: 'Azure OpenAI',
    fields: [
      endpoint('https://your-resource.openai.azure.com'),
      apiKey(true),
      {
        name: 'config.apiVersion',
        label: 'API version',
        secret: false,
        required: false,
        placeholder: '2024-10-21',
      },
      { name: 'config.deployment', label: 'Default deployment', secret: false, required: false },
    ],
    docs: 'https://learn.microsoft.com/azure/ai-services/openai/reference',
  },
  aws: bedrock('aws'),
  bedrock: bedrock('bedrock'),
  gcp: gemini('gcp'),
  gemini: gemini('gemini'),
  anthropic: {
    type: 'anthropic',
    label: 'Anthropic',
    defaultEndpoint: 'https://api.anthropic.com',
    fields: [
      apiKey(true),
      {
        name: 'config.anthropicVersion',
        label: 'API version',
        secret: false,
        required: false,
        placeholder: '2023-06-01',
      },
      {
        name: 'config.defaultMaxTokens',
        label: 'Default max tokens',
        secret: false,
        required: false,
        placeholder: '4096',
      },
    ],
    docs: 'https://docs.anthropic.com/en/api/messages',
  },
  cohere: {
    type: 'cohere',
    label: 'Cohere',
    defaultEndpoint: 'https://api.cohere.com',
    fields: [apiKey(true)],
    docs: 'https://docs.cohere.com/reference/chat',
  },
  lmstudio: local(
    'lmstudio',
    'LM Studio (local)',
    'http://127.0.0.1:1234',
    '/v1/models',
    'https://lmstudio.ai/docs/app/api/endpoints/openai',
  ),
  ollama: local(
    'ollama',
    'Ollama',
    'http://127.0.0.1:11434',
    '/api/tags',
    'https://github.com/ollama/ollama/blob/main/docs/api.md',
  ),
  vllm: local(
    'vllm',
    'vLLM',
    'http://127.0.0.1:8000',
    '/health',
    'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  ),
  localai: local('localai', 'LocalAI', 'http://127.0.0.1:8080', '/readyz', 'https://localai.io/'),
  'openai-compatible': {
    type: 'openai-compatible',
    label: 'OpenAI-compatible server',
    fields: [endpoint('http://127.0.0.1:8000'), apiKey(false)],
  },
  custom: {
    type: 'custom',
    label: 'Custom HTTP endpoint',
    fields: [
      endpoint('https://your-custom-endpoint.com'),
      apiKey(false),
      {
        name: 'config.customFormat',
        label: 'Request/response mapping (JSON)',
        secret: false,
        required: true,
      },
    ],
  },
};

/** One template per provider type, in core's order. */
export const providerTemplates: ProviderTemplate[] = PROVIDER_TYPES.map((type) => templates[type]);
