// Acceptance: a configuration written exactly like the seed document's provider examples
// (types openai, azure, aws, gcp, custom) loads, and each provider serves a completion — through
// the seed's InferenceService API — against the testkit's mock vendors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferenceService, type InferenceService } from '@switchyard/core';
import { closeHttpAgent } from './http/index.ts';
import { defaultAdapters } from './registry.ts';
import {
  startBedrockMock,
  startCustomMock,
  startGeminiMock,
  startOpenAIMock,
  type MockServer,
} from '@switchyard/testkit';

let mocks: Record<'openai' | 'azure' | 'aws' | 'gcp' | 'custom', MockServer>;
let service: InferenceService;

beforeAll(async () => {
  const [openai, azure, aws, gcp, custom] = await Promise.all([
    startOpenAIMock({ apiKey: 'sk-...' }),
    startOpenAIMock({ flavor: 'azure', apiKey: 'your_azure_key' }),
    startBedrockMock({
      accessKeyId: 'your_access_key_id',
      secretAccessKey: 'your_secret_access_key',
      region: 'us-east-1',
    }),
    startGeminiMock({ apiKey: 'your_gcp_api_key' }),
    startCustomMock({ apiKey: 'your_api_key' }),
  ]);
  mocks = { openai, azure, aws, gcp, custom };
  service = createInferenceService({
    adapters: defaultAdapters,
    config: {
      providers: [
        {
          id: 'my-openai',
          name: 'My OpenAI',
          type: 'openai',
          endpoint: openai.url,
          apiKey: 'sk-...',
          priority: 1,
          enabled: true,
        },
        {
          id: 'azure',
          name: 'Azure OpenAI',
          type: 'azure',
          endpoint: azure.url,
          apiKey: 'your_azure_key',
          config: { apiVersion: '2024-02-15-preview' },
          priority: 2,
          enabled: true,
        },
        {
          id: 'aws',
          name: 'AWS Bedrock',
          type: 'aws',
          endpoint: aws.url,
          apiKey: 'your_access_key_id',
          config: {
            region: 'us-east-1',
            secretKey: 'your_secret_access_key',
            modelId: 'anthropic.claude-3-sonnet-20240229-v1:0',
          },
          priority: 3,
          enabled: true,
        },
        {
          id: 'gcp',
          name: 'Google AI',
          type: 'gcp',
          endpoint: gcp.url,
          apiKey: 'your_gcp_api_key',
          config: { projectId: 'your_project_id' },
          priority: 4,
          enabled: true,
        },
        {
          id: 'custom',
          name: 'Custom',
          type: 'custom',
          endpoint: custom.url,
          apiKey: 'your_api_key',
          config: {
            customFormat: {
              path: '/generate',
              requestTemplate: { prompt: '{{prompt}}', max_new_tokens: '{{max_tokens}}' },
              response: { textPath: 'output.text', finishReasonPath: 'stop_reason' },
            },
          },
          priority: 5,
          enabled: true,
        },
      ],
      loadBalancing: 'priority',
      retryAttempts: 0,
      retryDelay: 1000,
      timeout: 30000,
      enableHealthMonitoring: false,
      healthCheckInterval: 30000,
    },
  });
});

afterAll(async () => {
  await service.close();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  await closeHttpAgent();
});

describe('the seed document provider examples', () => {
  it.each([
    ['my-openai', 'gpt-4o-mini', 'openai'],
    ['azure', 'my-gpt-deployment', 'azure'],
    ['aws', undefined, 'aws'],
    ['gcp', 'gemini-2.5-flash', 'gcp'],
    ['custom', 'tiny-llm', 'custom'],
  ] as const)('%s serves a completion', async (providerId, model, mock) => {
    const response = await service.chatCompletion(
      {
        ...(model ? { model } : {}),
        messages: [{ role: 'user', content: 'Hello, how are you?' }],
        max_tokens: 100,
      },
      { pinnedProvider: providerId },
    );
    expect(response.provider).toBe(providerId);
    expect(response.choices[0]?.message.content).toContain('Hello, how are you?');
    expect(mocks[mock].requests.length).toBeGreaterThan(0);
  });

  it('the Bedrock request went to the seed config modelId, signed', () => {
    const request = mocks.aws.requests.at(-1);
    expect(request?.url).toBe(
      `/model/${encodeURIComponent('anthropic.claude-3-sonnet-20240229-v1:0')}/converse`,
    );
    expect(String(request?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=your_access_key_id\//,
    );
  });
});
