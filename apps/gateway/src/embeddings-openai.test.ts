// `POST /v1/embeddings` with the official OpenAI SDK: a route to the OpenAI mock, an
// OpenAI-compatible local server and Azure, fallback between equivalent targets only, the cache,
// key limits counting embedding tokens, and 400s naming the field.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { mockEmbedding, startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-embeddings-test-key';
const LIMITED_KEY = 'sk-sy-embeddings-limited-key';
const SMALL = 'text-embedding-3-small';
const embedding = (name: string) => ({ name, kind: 'embedding' as const, dimensions: 8 });

let openai: OpenAIMock;
let azure: OpenAIMock;
let large: OpenAIMock;
let ollama: OpenAIMock;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openai = await startOpenAIMock({ apiKey: 'vendor-openai', models: [SMALL] });
  azure = await startOpenAIMock({
    flavor: 'azure',
    apiKey: 'vendor-azure',
    models: ['embed-small'],
  });
  large = await startOpenAIMock({ apiKey: 'vendor-large', models: ['text-embedding-3-large'] });
  ollama = await startOpenAIMock({ flavor: 'ollama' });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        endpoint: openai.url,
        apiKey: 'vendor-openai',
        models: [{ ...embedding(SMALL), inputPricePerMTok: 20 }, { name: 'gpt-test' }],
      },
      {
        id: 'azure',
        name: 'Azure',
        type: 'azure',
        endpoint: azure.url,
        apiKey: 'vendor-azure',
        models: [{ ...embedding('embed-small'), space: SMALL }],
      },
      {
        id: 'large',
        name: 'Large',
        type: 'openai',
        endpoint: large.url,
        apiKey: 'vendor-large',
        models: [{ ...embedding('text-embedding-3-large'), dimensions: 8 }],
      },
      { id: 'ollama', name: 'Ollama', type: 'ollama', endpoint: ollama.url },
    ],
    routes: [
      {
        name: 'embed',
        kind: 'embedding',
        targets: [
          { provider: 'openai', model: SMALL },
          { provider: 'azure', model: 'embed-small' },
        ],
      },
      {
        name: 'embed-mixed',
        kind: 'embedding',
        targets: [
          { provider: 'openai', model: SMALL },
          { provider: 'large', model: 'text-embedding-3-large' },
        ],
      },
      {
        name: 'embed-cached',
        kind: 'embedding',
        targets: [{ provider: 'openai', model: SMALL }],
        cache: { enabled: true, ttlSeconds: 60 },
      },
      {
        name: 'local-embed',
        kind: 'embedding',
        targets: [{ provider: 'ollama', model: 'nomic-embed-text' }],
      },
      { name: 'chat', targets: [{ provider: 'openai', model: 'gpt-test' }] },
    ],
    keys: [
      { name: 'app', key: KEY },
      { name: 'limited', key: LIMITED_KEY, limits: { tokensPerMinute: 10 } },
    ],
    retryAttempts: 0,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai.close(), azure.close(), large.close(), ollama.close()]);
  await closeHttpAgent();
});

function resetMocks(): void {
  for (const mock of [openai, azure, large, ollama]) mock.reset();
}

describe('embeddings through the gateway with the OpenAI SDK', () => {
  it('a string (the SDK asks base64 by default) equals what the mock computed', async () => {
    resetMocks();
    const { data, response } = await client.embeddings
      .create({ model: 'embed', input: 'hello world' })
      .withResponse();
    expect(data.data[0]?.embedding).toEqual(mockEmbedding(SMALL, 'hello world'));
    expect(data.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    const upstream = openai.requests.at(-1)?.body as Record<string, unknown>;
    expect(upstream.model).toBe(SMALL);
  });

  it('an array as floats, in order', async () => {
    const inputs = ['first text', 'second', 'a third one'];
    const answer = await client.embeddings.create({
      model: 'embed',
      input: inputs,
      encoding_format: 'float',
    });
    expect(answer.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(answer.data.map((item) => item.embedding)).toEqual(
      inputs.map((text) => mockEmbedding(SMALL, text)),
    );
  });

  it('base64 on the wire decodes to the mock vector', async () => {
    const response = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embed', input: ['x y'], encoding_format: 'base64' }),
    });
    const body = (await response.json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(body.data[0]?.embedding ?? '', 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(mockEmbedding(SMALL, 'x y'));
  });

  it('dimensions and token ids reach the vendor', async () => {
    const answer = await client.embeddings.create({
      model: 'embed',
      input: [[10, 20, 30]],
      dimensions: 4,
    });
    expect(answer.data[0]?.embedding).toEqual(mockEmbedding(SMALL, [10, 20, 30], 4));
    expect(answer.usage.prompt_tokens).toBe(3);
    expect((openai.requests.at(-1)?.body as { dimensions?: number }).dimensions).toBe(4);
  });

  it('an OpenAI-compatible local server embeds too', async () => {
    const answer = await client.embeddings.create({ model: 'local-embed', input: 'local' });
    expect(answer.data[0]?.embedding).toEqual(mockEmbedding('nomic-embed-text', 'local'));
  });

  it('falls over to an equivalent target (same space and dimensions) when the first fails', async () => {
    resetMocks();
    openai.failNext({ kind: 'server-error', status: 500 });
    const { data, response } = await client.embeddings
      .create({ model: 'embed', input: 'fail over' })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('azure');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(data.data[0]?.embedding).toEqual(mockEmbedding('embed-small', 'fail over'));
    expect(azure.requests.at(-1)?.url).toContain('/openai/deployments/embed-small/embeddings');
  });

  it('refuses to fall over to a different model: a 502 naming why', async () => {
    resetMocks();
    openai.failNext({ kind: 'server-error', status: 500 });
    const error = await client.embeddings
      .create({ model: 'embed-mixed', input: 'no mixing' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(502);
    expect(apiError.code).toBe('no_equivalent_fallback');
    expect(apiError.message).toContain('large/text-embedding-3-large');
    expect(apiError.message).toContain('never mixes vector spaces');
    expect(large.requests).toHaveLength(0);
  });

  it('caches exact matches on a route that opts in', async () => {
    resetMocks();
    const first = await client.embeddings
      .create({ model: 'embed-cached', input: 'cache me' })
      .withResponse();
    const second = await client.embeddings
      .create({ model: 'embed-cached', input: 'cache me' })
      .withResponse();
    expect(first.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(second.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(second.data.data[0]?.embedding).toEqual(mockEmbedding(SMALL, 'cache me'));
    expect(openai.requests).toHaveLength(1);
  });

  it('counts embedding tokens against the key limit', async () => {
    const limited = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: LIMITED_KEY,
      maxRetries: 0,
    });
    await limited.embeddings.create({ model: 'embed', input: 'one two three four five six' });
    const error = await limited.embeddings
      .create({ model: 'embed', input: 'one two three four five six' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429 });
  });

  it('costs come from the input price per million tokens', async () => {
    const outcomes: Array<{ costUsd?: number; route?: string }> = [];
    const off = gateway.runtime.gateway.events.on('request', (event) => outcomes.push(event));
    await client.embeddings.create({ model: 'embed', input: 'a b c d e' });
    off();
    expect(outcomes.at(-1)?.costUsd).toBeCloseTo((5 * 20) / 1_000_000, 12);
  });

  it('a chat model cannot embed, and a bad body is a 400 naming the field', async () => {
    await expect(client.embeddings.create({ model: 'chat', input: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'model_not_embedding',
    });
    await expect(
      client.embeddings.create({ model: 'embed', input: [] as string[] }),
    ).rejects.toMatchObject({ status: 400, param: 'input' });
    await expect(
      client.embeddings.create({ model: 'embed', input: 'x', dimensions: -1 }),
    ).rejects.toMatchObject({ status: 400, param: 'dimensions' });
  });
});
