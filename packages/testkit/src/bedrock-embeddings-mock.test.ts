// The Bedrock mock's InvokeModel for Titan Text Embeddings v2 and Cohere Embed, proven with the
// AWS SDK's Bedrock Runtime client (SigV4).
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockMock } from './bedrock-mock.ts';
import { mockEmbedding } from './mock-embedding.ts';
import type { MockServer } from './mock-server.ts';

const credentials = { accessKeyId: 'AKIDMOCKEMBED', secretAccessKey: 'mock/embed+secret' };
const region = 'us-east-1';
const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';
let mock: MockServer;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  mock = await startBedrockMock({ ...credentials, region });
  client = new BedrockRuntimeClient({ region, endpoint: mock.url, credentials, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await mock.close();
});

async function invoke(modelId: string, body: unknown): Promise<Record<string, unknown>> {
  const output = await client.send(
    new InvokeModelCommand({
      modelId,
      body: JSON.stringify(body),
      contentType: 'application/json',
      accept: 'application/json',
    }),
  );
  return JSON.parse(new TextDecoder().decode(output.body)) as Record<string, unknown>;
}

describe('Bedrock embeddings mock', () => {
  it('Titan v2: one text, dimensions, token count', async () => {
    const answer = await invoke(TITAN, { inputText: 'hello bedrock', dimensions: 256 });
    expect(answer.embedding).toEqual(mockEmbedding(TITAN, 'hello bedrock', 256));
    expect(answer.inputTextTokenCount).toBe(2);
    await expect(invoke(TITAN, { inputText: 'x', dimensions: 7 })).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it('Cohere Embed: texts in order, by type, input_type required', async () => {
    const answer = await invoke(COHERE, {
      texts: ['a', 'b c'],
      input_type: 'search_document',
      embedding_types: ['float'],
    });
    expect(answer.embeddings).toEqual({
      float: [mockEmbedding(COHERE, 'a'), mockEmbedding(COHERE, 'b c')],
    });
    await expect(invoke(COHERE, { texts: ['a'] })).rejects.toBeInstanceOf(ValidationException);
  });

  it('applies faults as Bedrock exceptions', async () => {
    mock.failNext({ kind: 'rate-limited' });
    await expect(invoke(TITAN, { inputText: 'x' })).rejects.toBeInstanceOf(ThrottlingException);
  });
});
