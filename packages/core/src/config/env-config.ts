// Providers from environment variables, as the seed loads them. Each variable has the seed's
// REACT_APP_-prefixed alias so an existing .env keeps working.
import type { ProviderInput } from './config-schema.ts';
import type { Environment } from './parse-config.ts';

function read(env: Environment, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name] ?? env[`REACT_APP_${name}`];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function splitList(value: string | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

/** Provider entries for every vendor whose variables are set; priorities follow the seed's order. */
export function providersFromEnv(env: Environment): ProviderInput[] {
  const providers: ProviderInput[] = [];
  const openaiKey = read(env, 'OPENAI_API_KEY');
  if (openaiKey)
    providers.push({
      id: 'openai',
      name: 'OpenAI',
      type: 'openai',
      endpoint: read(env, 'OPENAI_ENDPOINT', 'OPENAI_BASE_URL') ?? 'https://api.openai.com',
      apiKey: openaiKey,
      priority: 1,
    });

  const azureKey = read(env, 'AZURE_OPENAI_API_KEY', 'AZURE_API_KEY');
  const azureEndpoint = read(env, 'AZURE_OPENAI_ENDPOINT', 'AZURE_ENDPOINT');
  if (azureKey && azureEndpoint) {
    const apiVersion = read(env, 'AZURE_OPENAI_API_VERSION', 'AZURE_API_VERSION');
    providers.push({
      id: 'azure',
      name: 'Azure OpenAI',
      type: 'azure',
      endpoint: azureEndpoint,
      apiKey: azureKey,
      config: apiVersion ? { apiVersion } : {},
      priority: 2,
    });
  }

  const awsKeyId = read(env, 'AWS_ACCESS_KEY_ID');
  const awsSecret = read(env, 'AWS_SECRET_ACCESS_KEY');
  if (awsKeyId && awsSecret) {
    const region = read(env, 'AWS_REGION') ?? 'us-east-1';
    const sessionToken = read(env, 'AWS_SESSION_TOKEN');
    const modelId = read(env, 'AWS_BEDROCK_MODEL_ID', 'BEDROCK_MODEL_ID');
    providers.push({
      id: 'aws',
      name: 'AWS Bedrock',
      type: 'aws',
      endpoint: `https://bedrock-runtime.${region}.amazonaws.com`,
      apiKey: awsKeyId,
      config: {
        region,
        secretKey: awsSecret,
        ...(sessionToken ? { sessionToken } : {}),
        ...(modelId ? { modelId } : {}),
      },
      priority: 3,
    });
  }

  const geminiKey = read(env, 'GEMINI_API_KEY', 'GCP_API_KEY', 'GOOGLE_API_KEY');
  if (geminiKey) {
    const projectId = read(env, 'GCP_PROJECT_ID');
    providers.push({
      id: 'gcp',
      name: 'Google AI',
      type: 'gcp',
      endpoint: 'https://generativelanguage.googleapis.com',
      apiKey: geminiKey,
      config: projectId ? { projectId } : {},
      priority: 4,
    });
  }

  const anthropicKey = read(env, 'ANTHROPIC_API_KEY');
  if (anthropicKey)
    providers.push({
      id: 'anthropic',
      name: 'Anthropic',
      type: 'anthropic',
      endpoint: 'https://api.anthropic.com',
      apiKey: anthropicKey,
      priority: 5,
    });

  const customEndpoints = splitList(read(env, 'CUSTOM_ENDPOINTS'));
  const customKeys = splitList(read(env, 'CUSTOM_API_KEYS'));
  customEndpoints.forEach((endpoint, index) => {
    const apiKey = customKeys[index];
    providers.push({
      id: `custom-${index + 1}`,
      name: `Custom endpoint ${index + 1}`,
      // A bare custom endpoint has no declared mapping: treat it as OpenAI-compatible.
      type: 'openai-compatible',
      endpoint,
      ...(apiKey ? { apiKey } : {}),
      priority: 6 + index,
    });
  });
  return providers;
}
