// The Cohere mock's v2 embed endpoint, proven against Cohere's official OpenAPI schemas
// (Cohere has no SDK among our dependencies): requests the spec accepts are answered with bodies
// the spec accepts, and the spec's required fields are required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCohereMock } from './cohere-mock.ts';
import { COHERE_EMBED_BATCH_LIMIT } from './cohere-embeddings-mock.ts';
import { validateCohere } from './cohere-schema.ts';
import { mockEmbedding } from './mock-embedding.ts';
import type { MockServer } from './mock-server.ts';

let mock: MockServer;

beforeAll(async () => {
  mock = await startCohereMock({ apiKey: 'co-key', models: ['embed-v4.0'] });
});

afterAll(async () => {
  await mock.close();
});

async function embed(body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${mock.url}/v2/embed`, {
    method: 'POST',
    headers: { authorization: 'Bearer co-key', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('Cohere embed mock', () => {
  it('answers a valid request with a valid EmbedByTypeResponse', async () => {
    const request = {
      model: 'embed-v4.0',
      texts: ['hello', 'world'],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 256,
    };
    expect(validateCohere('EmbedRequestV2', request)).toEqual({ valid: true, errors: '' });
    const { status, json } = await embed(request);
    expect(status).toBe(200);
    expect(validateCohere('EmbedByTypeResponse', json)).toEqual({ valid: true, errors: '' });
    expect((json as { embeddings: { float: number[][] } }).embeddings.float).toEqual([
      mockEmbedding('embed-v4.0', 'hello', 256),
      mockEmbedding('embed-v4.0', 'world', 256),
    ]);
  });

  it('requires what the spec requires, and keeps its per-call limit', async () => {
    const missing = { model: 'embed-v4.0', texts: ['x'] };
    expect(validateCohere('EmbedRequestV2', missing).valid).toBe(false);
    expect((await embed(missing)).status).toBe(400);
    const tooMany = {
      model: 'embed-v4.0',
      texts: Array.from({ length: COHERE_EMBED_BATCH_LIMIT + 1 }, () => 'x'),
      input_type: 'search_query',
    };
    expect(validateCohere('EmbedRequestV2', tooMany).valid).toBe(false);
    expect((await embed(tooMany)).status).toBe(400);
  });

  it('applies queued faults', async () => {
    mock.failNext({ kind: 'rate-limited' });
    const { status } = await embed({ model: 'embed-v4.0', texts: ['x'], input_type: 'clustering' });
    expect(status).toBe(429);
  });
});
