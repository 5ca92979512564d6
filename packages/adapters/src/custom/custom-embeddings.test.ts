import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  parseConfig,
  UpstreamError,
  type EmbeddingRequest,
  type ProviderAdapter,
} from '@switchyard/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '../http/index.ts';
import { defaultAdapters } from '../registry.ts';
import { createCustomAdapter } from './custom-chat-model.ts';

const API_KEY = 'custom-embed-key';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Reply = (body: unknown, response: ServerResponse) => void;

/** A small embeddings server: answers with a handler per path and records what it received. */
let server: Server;
let endpoint: string;
let received: Received[] = [];
const replies = new Map<string, Reply>();

/** A vector that says which text it embeds, so order mistakes show. */
function vectorOf(text: string): number[] {
  return [text.length, text.charCodeAt(0), 0.5];
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : undefined;
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      const reply = replies.get(new URL(request.url ?? '/', 'http://x').pathname);
      if (!reply) return json(response, 404, { error: 'no such path' });
      reply(body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  received = [];
  replies.clear();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeHttpAgent();
});

function providerConfig(format: unknown) {
  return {
    providers: [
      {
        id: 'my-embedder',
        name: 'My embedder',
        type: 'custom',
        endpoint,
        apiKey: API_KEY,
        config: { customFormat: format },
        models: [{ name: 'vectors', id: 'mini-embed', kind: 'embedding', dimensions: 3 }],
      },
    ],
  };
}

function adapterFor(format: unknown): ProviderAdapter {
  const config = parseConfig(providerConfig(format), defaultAdapters);
  return createCustomAdapter(config.providers[0]!);
}

function embed(adapter: ProviderAdapter, request: EmbeddingRequest) {
  if (!adapter.embed) throw new Error('the adapter has no embed');
  return adapter.embed({
    request,
    model: 'mini-embed',
    options: { signal: new AbortController().signal, deadline: Date.now() + 5_000 },
  });
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

/** A server in the style of text-embeddings-inference: a list in, a list of vectors out. */
const batchFormat = {
  authHeader: 'x-api-key',
  authPrefix: '',
  embeddings: {
    path: '/embed',
    requestTemplate: {
      inputs: '{{input}}',
      model: '{{model}}',
      options: { size: '{{dimensions}}', caller: 'user {{user}}' },
    },
    vectorsPath: 'result.vectors',
    inputTokensPath: 'result.tokens',
    maxBatch: 2,
  },
};

function answerBatches(): void {
  replies.set('/embed', (body, response) => {
    const inputs = (body as { inputs: string[] }).inputs;
    json(response, 200, {
      result: { vectors: inputs.map(vectorOf), tokens: inputs.length * 10 },
    });
  });
}

describe('custom embeddings mapping', () => {
  it('sends the batch through the template, split at maxBatch, and reassembles the vectors in order', async () => {
    answerBatches();
    const adapter = adapterFor(batchFormat);
    const texts = ['alpha', 'be', 'gamma ray', 'd', 'epsilon'];
    const answer = await embed(adapter, { inputs: texts, dimensions: 3, user: 'u-7' });

    expect(answer.embeddings).toEqual(texts.map(vectorOf));
    expect(answer.usage).toEqual({ inputTokens: 50 });
    expect(answer.model).toBe('mini-embed');
    expect(received).toHaveLength(3);
    const batches = received.map((request) => (request.body as { inputs: string[] }).inputs);
    expect(batches.flat().sort()).toEqual([...texts].sort());
    expect(batches.map((batch) => batch.length).sort()).toEqual([1, 2, 2]);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/embed' });
    expect(received[0]?.headers['x-api-key']).toBe(API_KEY);
    expect(received[0]?.headers.authorization).toBeUndefined();
    expect(received.find((request) => request.body !== undefined)?.body).toMatchObject({
      model: 'mini-embed',
      options: { size: 3, caller: 'user u-7' },
    });
  });

  it('leaves out keys whose value the request does not give', async () => {
    answerBatches();
    await embed(adapterFor(batchFormat), { inputs: ['one'] });
    expect(received[0]?.body).toEqual({
      inputs: ['one'],
      model: 'mini-embed',
      options: { caller: 'user ' },
    });
  });

  it('sends one input a call with {{text}}, reads the vector itself, and estimates the usage', async () => {
    replies.set('/v1/embed-one', (body, response) =>
      json(response, 200, {
        embedding: { values: vectorOf((body as { content: string }).content) },
      }),
    );
    const adapter = adapterFor({
      embeddings: {
        path: '/v1/embed-one',
        requestTemplate: { content: '{{text}}' },
        vectorsPath: 'embedding.values',
      },
    });
    const answer = await embed(adapter, { inputs: ['first text', 'second'] });
    expect(answer.embeddings).toEqual([vectorOf('first text'), vectorOf('second')]);
    expect(received.map((request) => request.body)).toEqual(
      expect.arrayContaining([{ content: 'first text' }, { content: 'second' }]),
    );
    // counted with o200k_base: "first text" is two tokens, "second" one (4 characters a token would say 5)
    expect(answer.usage).toEqual({ inputTokens: 3, estimated: true });
  });

  it('sends the OpenAI-shaped request without a template and reads items through vectorPath', async () => {
    replies.set('/v1/embeddings', (body, response) => {
      const input = (body as { input: string[] }).input;
      json(response, 200, {
        data: input.map((text, index) => ({ index, embedding: vectorOf(text) })),
        usage: { prompt_tokens: '7' },
      });
    });
    const adapter = adapterFor({
      embeddings: {
        path: '/v1/embeddings',
        vectorsPath: 'data',
        vectorPath: 'embedding',
        inputTokensPath: 'usage.prompt_tokens',
      },
    });
    const answer = await embed(adapter, { inputs: ['x', 'yy'], dimensions: 3, user: 'u-1' });
    expect(received[0]?.body).toEqual({
      model: 'mini-embed',
      input: ['x', 'yy'],
      dimensions: 3,
      user: 'u-1',
    });
    expect(received[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(answer.embeddings).toEqual([vectorOf('x'), vectorOf('yy')]);
    expect(answer.usage).toEqual({ inputTokens: 7 });
  });

  it('refuses, before sending, what the template cannot carry', async () => {
    const adapter = adapterFor({
      embeddings: { requestTemplate: { content: '{{text}}' }, vectorsPath: 'embedding' },
    });
    const dimensions = await rejection(embed(adapter, { inputs: ['a'], dimensions: 256 }));
    expect(dimensions).toMatchObject({ kind: 'bad_request', status: 400, param: 'dimensions' });
    const tokens = await rejection(embed(adapter, { inputs: [[1, 2, 3]] }));
    expect(tokens).toMatchObject({ kind: 'bad_request', param: 'input' });
    expect(tokens.message).toContain('token ids');
    expect(received).toHaveLength(0);
  });

  it('reports answers that do not match the mapping as protocol errors', async () => {
    const adapter = adapterFor({
      embeddings: { path: '/embed', requestTemplate: { inputs: '{{input}}' }, vectorsPath: 'out' },
    });
    replies.set('/embed', (_body, response) => json(response, 200, { out: [[1, 2]] }));
    const count = await rejection(embed(adapter, { inputs: ['a', 'b'] }));
    expect(count).toMatchObject({ kind: 'protocol' });
    expect(count.message).toContain('1 vectors for 2 inputs');

    replies.set('/embed', (_body, response) => json(response, 200, { out: [[1, 'x']] }));
    const item = await rejection(embed(adapter, { inputs: ['a'] }));
    expect(item.message).toContain('item 0 of the answer is not a vector');

    replies.set('/embed', (_body, response) => json(response, 200, { vectors: [] }));
    const path = await rejection(embed(adapter, { inputs: ['a'] }));
    expect(path.message).toContain('no list at the configured vectors path');
  });

  it('classifies an error status like the chat mapping does', async () => {
    replies.set('/embed', (_body, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      response.end(JSON.stringify({ error: 'slow down' }));
    });
    const adapter = adapterFor({
      embeddings: { path: '/embed', requestTemplate: { inputs: '{{input}}' }, vectorsPath: 'out' },
    });
    const error = await rejection(embed(adapter, { inputs: ['a'] }));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 2000 });
  });

  it('serves embeddings only when the mapping has no chat part, and says so to chat calls', async () => {
    const adapter = adapterFor({
      embeddings: { path: '/embed', requestTemplate: { inputs: '{{input}}' }, vectorsPath: 'out' },
    });
    const chat = await rejection(
      adapter.complete({
        request: { messages: [{ role: 'user', content: 'hi' }] },
        model: 'mini-embed',
        options: { signal: new AbortController().signal, deadline: Date.now() + 5_000 },
      }),
    );
    expect(chat).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(chat.message).toContain('maps embeddings only');
    expect(adapterFor({ response: { textPath: 'text' } }).embed).toBeUndefined();
  });

  it('refuses an invalid mapping at config load, naming each field', () => {
    const issues = (format: unknown): string => {
      try {
        parseConfig(providerConfig(format), defaultAdapters);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('the config was accepted');
    };
    expect(issues({ embeddings: { requestTemplate: { q: 'x' }, vectorsPath: 'v' } })).toContain(
      'providers[0].config.customFormat.embeddings.requestTemplate: uses neither {{input}} nor {{text}}',
    );
    expect(
      issues({ embeddings: { requestTemplate: { q: '{{prompt}}' }, vectorsPath: 'v' } }),
    ).toContain('unknown placeholder {{prompt}}; use one of {{input}}, {{text}}');
    expect(
      issues({
        embeddings: { requestTemplate: { q: '{{text}}' }, vectorsPath: 'v', maxBatch: 8 },
      }),
    ).toContain('embeddings.maxBatch: must be 1');
    expect(issues({ embeddings: { vectorsPath: 'data[' } })).toContain(
      'embeddings.vectorsPath: "data[" is not a valid path',
    );
    expect(issues({ embeddings: { vectorsPath: '' } })).toContain('embeddings.vectorsPath');
  });
});
