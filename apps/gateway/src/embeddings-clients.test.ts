// Embedding clients other than the OpenAI SDK against the gateway: the Vercel AI SDK's `embed`
// and `embedMany`, and LangChain's `OpenAIEmbeddings`, answered with the mock's vectors.
import { createOpenAI } from '@ai-sdk/openai';
import { OpenAIEmbeddings } from '@langchain/openai';
import { embed, embedMany } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { mockEmbedding, startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-embedding-clients-key';
const MODEL = 'text-embedding-3-small';
let openai: OpenAIMock;
let gateway: TestGateway;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'vendor-key', models: [MODEL] });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        endpoint: openai.url,
        apiKey: 'vendor-key',
        models: [{ name: MODEL, kind: 'embedding', dimensions: 8 }],
      },
    ],
    routes: [{ name: 'embed', kind: 'embedding', targets: [{ provider: 'openai', model: MODEL }] }],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
  await closeHttpAgent();
});

describe('the Vercel AI SDK', () => {
  const provider = () => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY });

  it('embed: one value', async () => {
    const { embedding, usage } = await embed({
      model: provider().embedding('embed'),
      value: 'sunny day at the beach',
      maxRetries: 0,
    });
    expect(embedding).toEqual(mockEmbedding(MODEL, 'sunny day at the beach'));
    expect(usage.tokens).toBe(5);
  });

  it('embedMany: values in order', async () => {
    const values = ['one', 'two', 'three'];
    const { embeddings } = await embedMany({
      model: provider().embedding('embed'),
      values,
      maxRetries: 0,
    });
    expect(embeddings).toEqual(values.map((value) => mockEmbedding(MODEL, value)));
  });
});

describe("LangChain's OpenAIEmbeddings", () => {
  const embeddings = () =>
    new OpenAIEmbeddings({
      model: 'embed',
      apiKey: KEY,
      configuration: { baseURL: `${gateway.url}/v1` },
      maxRetries: 0,
    });

  it('embedQuery and embedDocuments', async () => {
    expect(await embeddings().embedQuery('what is a switchyard')).toEqual(
      mockEmbedding(MODEL, 'what is a switchyard'),
    );
    const documents = ['rails and points', 'trains'];
    expect(await embeddings().embedDocuments(documents)).toEqual(
      documents.map((text) => mockEmbedding(MODEL, text)),
    );
  });
});
