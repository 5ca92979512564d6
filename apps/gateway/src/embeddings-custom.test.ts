// `POST /v1/embeddings` with the official OpenAI SDK through a route to a `custom` provider whose
// mapping describes an embeddings server (a list of texts in, a list of vectors out), served here
// by a small local HTTP server: vectors come back in order across batches, base64 and dimensions
// work, and usage is the server's or counted and marked estimated.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-embeddings-custom-key';
const UPSTREAM_KEY = 'tei-secret';

/** What the local server computes for a text: its length, first code point and the size asked. */
function vectorOf(text: string, size = 3): number[] {
  return Array.from({ length: size }, (_, index) =>
    index === 0 ? text.length : index === 1 ? (text.codePointAt(0) ?? 0) : index / 4,
  );
}

interface Received {
  path: string;
  auth: string | undefined;
  body: { texts: string[]; size?: number; model?: string };
}

let server: Server;
let received: Received[] = [];
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
      const path = request.url ?? '';
      received.push({ path, auth: request.headers.authorization, body });
      const vectors = body.texts.map((text) => vectorOf(text, body.size));
      const counted = path === '/counted' ? { tokens: body.texts.length * 2 } : {};
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ vectors, ...counted }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mapping = (path: string) => ({
    embeddings: {
      path,
      requestTemplate: { texts: '{{input}}', size: '{{dimensions}}', model: '{{model}}' },
      vectorsPath: 'vectors',
      inputTokensPath: 'tokens',
      maxBatch: 4,
    },
  });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'tei',
        name: 'Local embeddings',
        type: 'custom',
        endpoint,
        apiKey: UPSTREAM_KEY,
        config: { customFormat: mapping('/counted') },
        models: [{ name: 'mini', id: 'mini-embed', kind: 'embedding', dimensions: 3 }],
      },
      {
        id: 'tei-uncounted',
        name: 'Local embeddings without usage',
        type: 'custom',
        endpoint,
        config: { customFormat: mapping('/plain') },
        models: [{ name: 'mini', id: 'mini-embed', kind: 'embedding', dimensions: 3 }],
      },
    ],
    routes: [
      { name: 'vectors', kind: 'embedding', targets: [{ provider: 'tei', model: 'mini-embed' }] },
      {
        name: 'vectors-uncounted',
        kind: 'embedding',
        targets: [{ provider: 'tei-uncounted', model: 'mini-embed' }],
      },
    ],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeHttpAgent();
});

describe('embeddings through the gateway to a custom mapping', () => {
  it("embeds a list in batches of the mapping, in order, with the server's usage", async () => {
    received = [];
    const inputs = Array.from({ length: 10 }, (_, index) => `passage ${'x'.repeat(index)}`);
    const answer = await client.embeddings.create({ model: 'vectors', input: inputs });
    expect(answer.data.map((item) => item.embedding)).toEqual(inputs.map((text) => vectorOf(text)));
    expect(answer.data.map((item) => item.index)).toEqual(inputs.map((_, index) => index));
    expect(answer.usage).toEqual({ prompt_tokens: 20, total_tokens: 20 });
    expect(received.map((request) => request.body.texts.length).sort()).toEqual([2, 4, 4]);
    expect(received[0]).toMatchObject({ path: '/counted', auth: `Bearer ${UPSTREAM_KEY}` });
    expect(received[0]?.body.model).toBe('mini-embed');
  });

  it('passes dimensions through the template and answers base64 when asked', async () => {
    received = [];
    const answer = await client.embeddings.create({
      model: 'vectors',
      input: 'one text',
      dimensions: 5,
      encoding_format: 'base64',
    });
    // asked for explicitly, base64 reaches the caller as sent: little-endian float32 values,
    // which hold these numbers exactly
    const encoded = Buffer.from(answer.data[0]?.embedding as unknown as string, 'base64');
    const decoded = Array.from({ length: encoded.length / 4 }, (_, index) =>
      encoded.readFloatLE(index * 4),
    );
    expect(decoded).toEqual(vectorOf('one text', 5));
    expect(received[0]?.body).toMatchObject({ texts: ['one text'], size: 5 });
  });

  it('counts the usage and marks it estimated when the server gives none', async () => {
    const { data: answer, response } = await client.embeddings
      .create({ model: 'vectors-uncounted', input: ['hello world', 'second'] })
      .withResponse();
    expect(answer.data.map((item) => item.embedding)).toEqual([
      vectorOf('hello world'),
      vectorOf('second'),
    ]);
    expect(response.headers.get('x-switchyard-usage')).toBe('estimated');
    // o200k_base: "hello world" is two tokens, "second" one
    expect(answer.usage.prompt_tokens).toBe(3);
  });
});
