// The Gemini mock's embeddings endpoints, proven with the official @google/genai SDK.
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeminiMock, type GeminiMock } from './gemini-mock.ts';
import { GEMINI_EMBED_BATCH_LIMIT } from './gemini-embeddings-mock.ts';
import { mockEmbedding } from './mock-embedding.ts';

const API_KEY = 'gemini-embed-key';
let mock: GeminiMock;
let client: GoogleGenAI;

beforeAll(async () => {
  mock = await startGeminiMock({ apiKey: API_KEY, models: ['gemini-embedding-001'] });
  client = new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: mock.url } });
});

afterAll(async () => {
  await mock.close();
});

describe('Gemini embeddings mock', () => {
  it('embeds several contents in order with outputDimensionality', async () => {
    const answer = await client.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['first', 'second'],
      config: { outputDimensionality: 6 },
    });
    expect(answer.embeddings?.map((item) => item.values)).toEqual([
      mockEmbedding('gemini-embedding-001', 'first', 6),
      mockEmbedding('gemini-embedding-001', 'second', 6),
    ]);
    expect(mock.requests.at(-1)?.url).toContain(':batchEmbedContents');
  });

  it('answers embedContent for one content', async () => {
    const response = await fetch(`${mock.url}/v1beta/models/gemini-embedding-001:embedContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'one' }] } }),
    });
    const body = (await response.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toEqual(mockEmbedding('gemini-embedding-001', 'one'));
  });

  it('refuses batches over the limit, unknown models and applies faults', async () => {
    const contents = Array.from({ length: GEMINI_EMBED_BATCH_LIMIT + 1 }, (_, i) => `t${i}`);
    await expect(
      client.models.embedContent({ model: 'gemini-embedding-001', contents }),
    ).rejects.toBeInstanceOf(ApiError);
    await expect(
      client.models.embedContent({ model: 'other-model', contents: ['x'] }),
    ).rejects.toMatchObject({ status: 404 });
    mock.failNext({ kind: 'rate-limited' });
    await expect(
      client.models.embedContent({ model: 'gemini-embedding-001', contents: ['x'] }),
    ).rejects.toMatchObject({ status: 429 });
  });
});
