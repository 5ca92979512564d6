import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { createHttpHandler } from '../http/fetch-handler.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { Gateway } from '../service/gateway.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import type {
  AttemptAnswer,
  AttemptError,
  AttemptStart,
  AttemptTrace,
  RequestEnd,
  RequestTrace,
  RequestTracer,
  TracedRequest,
} from './request-tracer.ts';
import { upstreamTraceHeaders } from './upstream-link.ts';

/** A tracer that writes down every call, in order. */
class FakeTracer implements RequestTracer {
  readonly requests: FakeRequest[] = [];
  constructor(readonly capturesContent = false) {}
  startRequest(request: TracedRequest): RequestTrace {
    const trace = new FakeRequest(request, this.capturesContent, this.requests.length);
    this.requests.push(trace);
    return trace;
  }
}

class FakeRequest implements RequestTrace {
  readonly traceId: string;
  readonly spanId = 'server';
  readonly routes: string[] = [];
  readonly attempts: FakeAttempt[] = [];
  readonly parent: string | null | undefined;
  ended: RequestEnd | undefined;
  constructor(
    readonly request: TracedRequest,
    readonly capturesContent: boolean,
    index: number,
  ) {
    this.traceId = `trace-${index}`;
    this.parent = request.header('traceparent');
  }
  routed(route: string): void {
    this.routes.push(route);
  }
  startAttempt(attempt: AttemptStart): AttemptTrace {
    // An attempt never starts after its request ended.
    expect(this.ended).toBeUndefined();
    const traced = new FakeAttempt(attempt, `attempt-${this.attempts.length + 1}`);
    this.attempts.push(traced);
    return traced;
  }
  end(end: RequestEnd): void {
    expect(this.ended).toBeUndefined();
    // Every attempt span ends before its request span.
    expect(this.attempts.every((attempt) => attempt.ends.length === 1)).toBe(true);
    this.ended = end;
  }
}

class FakeAttempt implements AttemptTrace {
  readonly ends: Array<{ failed: AttemptError } | { answered: AttemptAnswer }> = [];
  readonly urls: string[] = [];
  constructor(
    readonly start: AttemptStart,
    readonly id: string,
  ) {}
  upstreamHeaders(url: string): Record<string, string> {
    this.urls.push(url);
    return { traceparent: this.id };
  }
  failed(error: AttemptError): void {
    this.ends.push({ failed: { kind: error.kind, message: error.message } });
  }
  answered(answer: AttemptAnswer): void {
    this.ends.push({ answered: answer });
  }
}

function kindOf(end: FakeAttempt['ends'][number]): string {
  return 'failed' in end ? end.failed.kind : 'answered';
}

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** `prefill`: the providers that continue a broken stream from an assistant prefill. */
function setup(
  adapters: Record<string, ScriptedAdapter>,
  tracer?: RequestTracer,
  prefill: string[] = [],
) {
  const registry = scriptedRegistry(adapters);
  const ids = Object.keys(adapters);
  const config = parseConfig(
    {
      providers: ids.map((id, index) => ({
        id,
        name: id,
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9100 + index}`,
        priority: index,
        models: [{ name: 'vendor-model', assistantPrefill: prefill.includes(id) }],
      })),
      routes: [
        {
          name: 'chat',
          targets: ids.map((provider) => ({ provider, model: 'vendor-model' })),
          cache: { enabled: true, ttlSeconds: 60 },
        },
      ],
      retryAttempts: 0,
      enableHealthMonitoring: false,
    },
    registry,
  );
  gateway = new Gateway({ config, adapters: registry, monitorHealth: false });
  gateway.setTracer(tracer);
  return createHttpHandler({ gateway, keys: new KeyRing() });
}

function post(body: ChatRequest, headers: Record<string, string> = {}): Request {
  return new Request('http://gateway/v1/chat/completions', {
    method: 'POST',
    headers: Object.assign({ 'content-type': 'application/json' }, headers),
    body: JSON.stringify(body),
  });
}

const chat: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('request tracing hooks', () => {
  it('link nothing to the upstream call when no tracer is set', async () => {
    const a = new ScriptedAdapter('a');
    const handle = setup({ a });
    expect((await handle(post(chat))).status).toBe(200);
    expect(upstreamTraceHeaders(a.calls[0]!.signal, 'http://127.0.0.1:9100/x')).toBeUndefined();
  });

  it('trace a request and its attempt, and hand the attempt to the upstream call', async () => {
    const a = new ScriptedAdapter('a', [{ answer: 'hello', usage: [12, 3] }]);
    const tracer = new FakeTracer();
    const handle = setup({ a }, tracer);
    const response = await handle(post(chat, { traceparent: CALLER, 'x-request-id': 'req-1' }));
    expect(response.status).toBe(200);

    const [request] = tracer.requests;
    expect(request?.request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      route: '/v1/chat/completions',
      requestId: 'req-1',
    });
    expect(request?.parent).toBe(CALLER);
    expect(request?.routes).toEqual(['chat']);
    expect(request?.ended).toEqual({ status: 200, cache: 'miss', errorType: undefined });
    const [attempt] = request?.attempts ?? [];
    expect(attempt?.start).toMatchObject({
      subject: { operation: 'chat', request: { model: 'chat' } },
      route: 'chat',
      providerId: 'a',
      providerType: 'openai-compatible',
      model: 'vendor-model',
    });
    expect(attempt?.ends).toEqual([
      {
        answered: {
          responseId: 'resp-1',
          responseModel: 'vendor-model',
          finishReasons: ['stop'],
          inputTokens: 12,
          outputTokens: 3,
        },
      },
    ]);
    // The HTTP client finds the attempt through the signal the adapter was called with.
    const url = 'http://127.0.0.1:9100/v1/chat/completions';
    expect(upstreamTraceHeaders(a.calls[0]!.signal, url)).toEqual({ traceparent: 'attempt-1' });
    expect(attempt?.urls).toEqual([url]);
  });

  it('end a failed attempt with its error kind before the failover answers', async () => {
    const a = new ScriptedAdapter('a', [{ fail: { kind: 'server', status: 500 } }]);
    const b = new ScriptedAdapter('b');
    const tracer = new FakeTracer();
    const handle = setup({ a, b }, tracer);
    expect((await handle(post(chat))).status).toBe(200);

    const attempts = tracer.requests[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.start.providerId)).toEqual(['a', 'b']);
    expect(attempts[0]?.ends.map(kindOf)).toEqual(['server']);
    expect(attempts[1]?.ends[0]).toHaveProperty('answered');
    expect(upstreamTraceHeaders(b.calls[0]!.signal, 'http://b')).toEqual({
      traceparent: 'attempt-2',
    });
  });

  it('end a streamed attempt, then the request, when the stream ends', async () => {
    const a = new ScriptedAdapter('a', [{ stream: ['one ', 'two'] }]);
    const tracer = new FakeTracer();
    const handle = setup({ a }, tracer);
    const response = await handle(post({ ...chat, stream: true }));
    const request = tracer.requests[0];
    // Headers are out, the answer is not: neither span has ended.
    expect(request?.ended).toBeUndefined();
    expect(request?.attempts[0]?.ends).toEqual([]);

    expect(await response.text()).toContain('two');
    expect(request?.ended).toEqual({ status: 200, cache: 'miss', errorType: undefined });
    const end = request?.attempts[0]?.ends[0];
    const answer = end && 'answered' in end ? end.answered : undefined;
    expect(answer).toMatchObject({
      responseId: 'stream-1',
      responseModel: 'vendor-model',
      finishReasons: ['stop'],
    });
    expect(answer?.firstTokenAt).toBeGreaterThan(0);
    expect(answer?.outputText).toBeUndefined();
  });

  it('end the broken attempt and trace its continuation on another target', async () => {
    const a = new ScriptedAdapter('a', [{ stream: ['one ', 'two ', 'three'], cutAfter: 2 }]);
    const b = new ScriptedAdapter('b', [{ stream: [' three'] }]);
    const tracer = new FakeTracer();
    const handle = setup({ a, b }, tracer, ['b']);
    const response = await handle(post({ ...chat, stream: true }));
    expect(await response.text()).toContain('three');

    const attempts = tracer.requests[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.start.providerId)).toEqual(['a', 'b']);
    expect(attempts[0]?.ends.map(kindOf)).toEqual(['connection']);
    expect(attempts[1]?.ends[0]).toHaveProperty('answered');
    expect(tracer.requests[0]?.ended?.status).toBe(200);
  });

  it('collect the answer text only for a tracer that captures content', async () => {
    const a = new ScriptedAdapter('a', [{ answer: 'plain' }, { stream: ['stre', 'amed'] }]);
    const tracer = new FakeTracer(true);
    const handle = setup({ a }, tracer);
    await handle(post(chat));
    await (
      await handle(
        post({ model: 'chat', messages: [{ role: 'user', content: 'again' }], stream: true }),
      )
    ).text();
    const texts = tracer.requests.map((request) => {
      const end = request.attempts[0]?.ends[0];
      return end && 'answered' in end ? end.answered.outputText : undefined;
    });
    expect(texts).toEqual([['plain'], ['streamed']]);
  });

  it('name the cache on a request answered from it, with no attempt', async () => {
    const tracer = new FakeTracer();
    const handle = setup({ a: new ScriptedAdapter('a') }, tracer);
    await handle(post(chat));
    await handle(post(chat));
    expect(tracer.requests[1]?.ended).toEqual({ status: 200, cache: 'hit', errorType: undefined });
    expect(tracer.requests[1]?.attempts).toEqual([]);
  });

  it('end a refused request with its error code', async () => {
    const tracer = new FakeTracer();
    const handle = setup({ a: new ScriptedAdapter('a') }, tracer);
    const response = await handle(post({ model: 'chat', messages: [] }));
    expect(response.status).toBe(400);
    expect(tracer.requests[0]?.ended).toMatchObject({ status: 400, errorType: 'invalid_request' });
  });
});
