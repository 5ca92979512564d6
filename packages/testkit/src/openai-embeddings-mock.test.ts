// The OpenAI-shaped embeddings mock, proven with the official SDK: OpenAI's path, Azure's
// deployment path and a local server, floats and base64, dimensions, token ids, faults.
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockEmbedding, mockEmbeddingTokens } from './mock-embedding.ts';
import { startOpenAIMock, type OpenAIMock } from './openai-mock.ts';

let openai: OpenAIMock;
let azure: OpenAIMock;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'sk-test', models: ['text-embedding-3-small'] });
  azure = await startOpenAIMock({ flavor: 'azure', apiKey: 'az-key', models: ['embed-deploy'] });
});

afterAll(async () => {
  await Promise.all([openai.close(), azure.close()]);
});

describe('OpenAI embeddings mock', () => {
  const client = () =>
    new OpenAI({ baseURL: `${openai.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });

  it('answers a string with the deterministic vector (the SDK asks base64 and decodes it)', async () => {
    const answer = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello world',
    });
    expect(answer.data).toHaveLength(1);
    expect(answer.data[0]?.embedding).toEqual(
      mockEmbedding('text-embedding-3-small', 'hello world'),
    );
    expect(answer.usage.prompt_tokens).toBe(mockEmbeddingTokens('hello world'));
    expect((openai.requests.at(-1)?.body as { encoding_format?: string }).encoding_format).toBe(
      'base64',
    );
  });

  it('answers arrays in order, floats when asked, with dimensions', async () => {
    const answer = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['one', 'two', 'three'],
      encoding_format: 'float',
      dimensions: 5,
    });
    expect(answer.data.map((item) => item.embedding)).toEqual(
      ['one', 'two', 'three'].map((text) => mockEmbedding('text-embedding-3-small', text, 5)),
    );
  });

  it('embeds token ids', async () => {
    const answer = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: [[1, 2, 3], [4]],
      encoding_format: 'float',
    });
    expect(answer.data[1]?.embedding).toEqual(mockEmbedding('text-embedding-3-small', [4]));
    expect(answer.usage.prompt_tokens).toBe(4);
  });

  it('refuses an unknown model and applies queued faults', async () => {
    await expect(client().embeddings.create({ model: 'nope', input: 'x' })).rejects.toMatchObject({
      status: 404,
    });
    openai.failNext({ kind: 'server-error', status: 503 });
    await expect(
      client().embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    ).rejects.toMatchObject({ status: 503 });
  });

  it('serves an Azure deployment path with api-key auth', async () => {
    const client = new AzureOpenAI({
      endpoint: azure.url,
      apiKey: 'az-key',
      apiVersion: '2024-10-21',
      deployment: 'embed-deploy',
      maxRetries: 0,
    });
    const answer = await client.embeddings.create({ model: 'embed-deploy', input: ['a b', 'c'] });
    expect(answer.data[0]?.embedding).toEqual(mockEmbedding('embed-deploy', 'a b'));
    expect(azure.requests.at(-1)?.url).toContain('/openai/deployments/embed-deploy/embeddings');
  });

  it('serves a local server flavour', async () => {
    const local = await startOpenAIMock({ flavor: 'ollama' });
    try {
      const client = new OpenAI({ baseURL: `${local.url}/v1`, apiKey: 'none', maxRetries: 0 });
      const answer = await client.embeddings.create({ model: 'nomic-embed-text', input: 'hi' });
      expect(answer.data[0]?.embedding).toEqual(mockEmbedding('nomic-embed-text', 'hi'));
    } finally {
      await local.close();
    }
  });
});
