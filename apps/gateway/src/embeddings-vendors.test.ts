// `POST /v1/embeddings` with the official OpenAI SDK through a route to each non-OpenAI vendor
// mock (Gemini, Cohere, Bedrock Titan v2 and Cohere Embed): the answer equals what the mock
// computed, batches over a vendor's per-call limit are split and come back in order, and usage
// is the vendor's or marked estimated.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import {
  mockEmbedding,
  mockEmbeddingTokens,
  startBedrockMock,
  startCohereMock,
  startGeminiMock,
  validateCohere,
  type MockServer,
} from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-embeddings-vendors-key';
const TITAN = 'amazon.titan-embed-text-v2:0';
const BEDROCK_COHERE = 'cohere.embed-multilingual-v3';
const aws = { accessKeyId: 'AKIDEMBEDVENDORS', secretAccessKey: 'embed/vendors+secret' };
const embedding = (name: string) => ({ name, kind: 'embedding' as const });

let gemini: MockServer;
let cohere: MockServer;
let bedrock: MockServer;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gemini = await startGeminiMock({ apiKey: 'g-key', models: ['gemini-embedding-001'] });
  cohere = await startCohereMock({ apiKey: 'c-key', models: ['embed-v4.0'] });
  bedrock = await startBedrockMock({ ...aws, region: 'us-east-1' });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'gemini',
        name: 'Gemini',
        type: 'gemini',
        endpoint: gemini.url,
        apiKey: 'g-key',
        models: [embedding('gemini-embedding-001')],
      },
      {
        id: 'cohere',
        name: 'Cohere',
        type: 'cohere',
        endpoint: cohere.url,
        apiKey: 'c-key',
        models: [embedding('embed-v4.0')],
      },
      {
        id: 'bedrock',
        name: 'Bedrock',
        type: 'bedrock',
        endpoint: bedrock.url,
        apiKey: aws.accessKeyId,
        config: { region: 'us-east-1', secretKey: aws.secretAccessKey },
        models: [embedding(TITAN), embedding(BEDROCK_COHERE)],
      },
    ],
    routes: [
      {
        name: 'gemini-embed',
        kind: 'embedding',
        targets: [{ provider: 'gemini', model: 'gemini-embedding-001' }],
      },
      {
        name: 'cohere-embed',
        kind: 'embedding',
        targets: [{ provider: 'cohere', model: 'embed-v4.0' }],
      },
      { name: 'titan-embed', kind: 'embedding', targets: [{ provider: 'bedrock', model: TITAN }] },
      {
        name: 'bedrock-cohere-embed',
        kind: 'embedding',
        targets: [{ provider: 'bedrock', model: BEDROCK_COHERE }],
      },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([gemini.close(), cohere.close(), bedrock.close()]);
  await closeHttpAgent();
});

const texts = (count: number) => Array.from({ length: count }, (_, i) => `text number ${i}`);

describe('embeddings through the gateway to each vendor', () => {
  it('Gemini: batchEmbedContents split at 100, in order, usage estimated', async () => {
    gemini.reset();
    const inputs = texts(150);
    const { data: answer, response } = await client.embeddings
      .create({
        model: 'gemini-embed',
        input: inputs,
        dimensions: 4,
      })
      .withResponse();
    expect(answer.data.map((item) => item.embedding)).toEqual(
      inputs.map((text) => mockEmbedding('gemini-embedding-001', text, 4)),
    );
    expect(response.headers.get('x-switchyard-usage')).toBe('estimated');
    expect(gemini.requests.filter((r) => r.url.includes(':batchEmbedContents'))).toHaveLength(2);
    // Gemini reports no usage: the gateway counts it with o200k_base, where each "text number N"
    // is four tokens (text, " number", " ", the digits).
    expect(answer.usage.prompt_tokens).toBe(inputs.length * 4);
  });

  it('Cohere v2: split at 96, billed tokens summed, output_dimension', async () => {
    cohere.reset();
    const inputs = texts(100);
    const answer = await client.embeddings.create({
      model: 'cohere-embed',
      input: inputs,
      dimensions: 3,
    });
    expect(answer.data.map((item) => item.embedding)).toEqual(
      inputs.map((text) => mockEmbedding('embed-v4.0', text, 3)),
    );
    expect(cohere.requests).toHaveLength(2);
    const sent = cohere.requests[0]?.body as Record<string, unknown>;
    expect(validateCohere('EmbedRequestV2', sent)).toEqual({ valid: true, errors: '' });
    expect(sent).toMatchObject({
      model: 'embed-v4.0',
      input_type: 'search_document',
      output_dimension: 3,
    });
    expect(answer.usage.prompt_tokens).toBe(
      inputs.reduce((sum, t) => sum + mockEmbeddingTokens(t), 0),
    );
  });

  it('Bedrock Titan v2: one text per InvokeModel call, reassembled in order', async () => {
    bedrock.reset();
    const inputs = ['alpha', 'beta gamma', 'delta'];
    const answer = await client.embeddings.create({
      model: 'titan-embed',
      input: inputs,
      dimensions: 256,
    });
    expect(answer.data.map((item) => item.embedding)).toEqual(
      inputs.map((text) => mockEmbedding(TITAN, text, 256)),
    );
    expect(bedrock.requests).toHaveLength(3);
    expect(answer.usage.prompt_tokens).toBe(4);
  });

  it('Bedrock Cohere Embed: texts per call, tokens from the header', async () => {
    const answer = await client.embeddings.create({
      model: 'bedrock-cohere-embed',
      input: ['one', 'two three'],
    });
    expect(answer.data.map((item) => item.embedding)).toEqual([
      mockEmbedding(BEDROCK_COHERE, 'one'),
      mockEmbedding(BEDROCK_COHERE, 'two three'),
    ]);
    expect(answer.usage.prompt_tokens).toBe(3);
  });

  it('token-id inputs to a text-only vendor are a 400 naming input', async () => {
    await expect(
      client.embeddings.create({ model: 'cohere-embed', input: [[1, 2, 3]] }),
    ).rejects.toMatchObject({ status: 400, param: 'input' });
  });
});
