import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError, type StreamEvent } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, type HttpRequest } from './http-client.ts';
import { VendorStreamDecoder } from './stream-reader.ts';
import type { SseMessage } from './sse.ts';
import { callJson, openStream, probeHttp, type ErrorParser } from './vendor-call.ts';

/** Answers `/status/<code>` with that status and a JSON body; `/stream` with two SSE events. */
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: one\n\ndata: two\n\n');
      return;
    }
    const status = Number(/^\/status\/(\d+)/.exec(url)?.[1] ?? 200);
    response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '2' });
    response.end(JSON.stringify({ status, path: url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeHttpAgent();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function get(path: string): HttpRequest {
  return {
    url: base + path,
    method: 'GET',
    signal: new AbortController().signal,
    deadline: Date.now() + 5_000,
    provider: 'p1',
  };
}

const seen: { status: number; body: string }[] = [];
const parseError: ErrorParser = (response, bodyText) => {
  seen.push({ status: response.status, body: bodyText });
  return new UpstreamError({ kind: 'server', message: 'vendor error', provider: 'p1' });
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('callJson', () => {
  it('parses a 2xx body and hands the response along', async () => {
    const result = await callJson({
      request: get('/status/200'),
      parseError,
      parse: (body, response) => ({ body, status: response.status }),
    });
    expect(result).toEqual({ body: { status: 200, path: '/status/200' }, status: 200 });
  });

  it('gives a non-2xx answer, body read, to the vendor’s error parser', async () => {
    seen.length = 0;
    const error = await rejection(
      callJson({ request: get('/status/429'), parseError, parse: () => 'unused' }),
    );
    expect(error).toMatchObject({ message: 'vendor error' });
    expect(seen).toEqual([
      { status: 429, body: JSON.stringify({ status: 429, path: '/status/429' }) },
    ]);
  });
});

describe('probeHttp', () => {
  it('reports what was checked, the status and the latency', async () => {
    const result = await probeHttp({ request: get('/status/204'), parseError, check: 'GET /x' });
    expect(result).toMatchObject({ check: 'GET /x', status: 204 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('lets the vendor say which statuses prove the service up', async () => {
    const healthy = (status: number) => status < 500;
    expect(
      await probeHttp({ request: get('/status/404'), parseError, check: 'GET /', healthy }),
    ).toMatchObject({ status: 404 });
    expect(
      await rejection(
        probeHttp({ request: get('/status/503'), parseError, check: 'GET /', healthy }),
      ),
    ).toMatchObject({ message: 'vendor error' });
  });
});

class DataDecoder extends VendorStreamDecoder<SseMessage> {
  constructor() {
    super('p1', 'Test stream');
  }
  decode(message: SseMessage, events: StreamEvent[]): void {
    events.push({ type: 'text-delta', choiceIndex: 0, text: message.data });
  }
  end(): void {
    this.state = 'complete';
  }
}

describe('openStream', () => {
  it('resolves once the stream is accepted and yields its events', async () => {
    const stream = await openStream({
      request: get('/stream'),
      parseError,
      framing: 'sse',
      vendor: 'Test',
      decode: () => new DataDecoder(),
    });
    const texts: string[] = [];
    for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    expect(texts).toEqual(['one', 'two']);
  });

  it('rejects before the first event when the upstream refuses or the vendor check fails', async () => {
    const format = { framing: 'sse', vendor: 'Test', decode: () => new DataDecoder() } as const;
    expect(
      await rejection(openStream({ request: get('/status/500'), parseError, ...format })),
    ).toMatchObject({ message: 'vendor error' });
    const refusal = new UpstreamError({
      kind: 'protocol',
      message: 'not a stream',
      provider: 'p1',
    });
    expect(
      await rejection(
        openStream({
          request: get('/status/200'),
          parseError,
          ...format,
          accept: () => Promise.reject(refusal),
        }),
      ),
    ).toBe(refusal);
  });
});
