// Traces from the runtime the dashboard's `pnpm start` server and the standalone gateway both
// build (createGatewayRuntime), exported over OTLP/HTTP to a local receiver, in protobuf and JSON.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { parseConfig, type ConfigInput } from '@switchyard/core';
import {
  startAnthropicMock,
  startOpenAIMock,
  type AnthropicMock,
  type OpenAIMock,
} from '@switchyard/testkit';
import { createRepositories } from '@switchyard/db';
import { openTestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '../runtime.ts';
import type { Environment } from '../state/state-store-env.ts';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from './test-support/otlp-receiver.ts';

const MODEL = 'gpt-4o-mini';
const EMBEDDING = 'text-embedding-3-small';
const CLAUDE = 'claude-haiku-4-5';
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

let primary: OpenAIMock;
let backup: OpenAIMock;
let claude: AnthropicMock;
let receiver: OtlpReceiver;

function config(): ConfigInput {
  const models = [{ name: MODEL }, { name: EMBEDDING, kind: 'embedding' as const, dimensions: 8 }];
  return {
    providers: [
      {
        id: 'primary',
        name: 'Primary',
        type: 'openai',
        endpoint: primary.url,
        apiKey: 'k',
        models,
      },
      { id: 'backup', name: 'Backup', type: 'openai', endpoint: backup.url, apiKey: 'k', models },
      {
        id: 'claude',
        name: 'Claude',
        type: 'anthropic',
        endpoint: claude.url,
        apiKey: 'k',
        models: [{ name: CLAUDE }],
      },
      {
        id: 'claude-wrong-key',
        name: 'Claude, wrong key',
        type: 'anthropic',
        endpoint: claude.url,
        apiKey: 'not-the-key',
        models: [{ name: CLAUDE }],
      },
    ],
    routes: [
      {
        name: 'smart',
        targets: [
          { provider: 'primary', model: MODEL },
          { provider: 'backup', model: MODEL },
        ],
      },
      { name: 'counted', targets: [{ provider: 'claude', model: CLAUDE }] },
      { name: 'refused', targets: [{ provider: 'claude-wrong-key', model: CLAUDE }] },
      {
        name: 'vectors',
        targets: [
          { provider: 'primary', model: EMBEDDING },
          { provider: 'backup', model: EMBEDDING },
        ],
      },
    ],
    retryAttempts: 0,
    enableHealthMonitoring: false,
  };
}

interface Served {
  runtime: GatewayRuntime;
  server: Server;
  url: string;
  close(): Promise<void>;
}

async function serve(environment: Environment, logLines?: string[]): Promise<Served> {
  const logger = logLines && pino({ level: 'debug' }, { write: (line) => logLines.push(line) });
  const runtime = await createGatewayRuntime({
    config: parseConfig(config(), defaultDefinitions),
    monitorHealth: false,
    environment,
    logger,
  });
  const server = createServer((request, response) => void runtime.handleNode(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    runtime,
    server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}

function tracingEnvironment(protocol: string, extra: Environment = {}): Environment {
  return Object.assign(
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_BSP_SCHEDULE_DELAY: '20',
    },
    extra,
  );
}

/** A caller's span context, as a traced client sends it. */
function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: Object.assign({ 'content-type': 'application/json' }, headers),
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text };
}

/** The request's server span and its attempt spans, once all have arrived. */
async function spansOf(requestId: string, attempts: number) {
  const [server] = await receiver.waitForSpans(
    (span) => span.attributes['switchyard.request_id'] === requestId,
    1,
  );
  const children = await receiver.waitForSpans(
    (span) => span.parentSpanId === server!.spanId,
    attempts,
  );
  return { server: server!, attempts: children };
}

function traceparentSent(mock: OpenAIMock): string | undefined {
  const header = mock.requests.at(-1)?.headers.traceparent;
  return Array.isArray(header) ? header[0] : header;
}

beforeAll(async () => {
  primary = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Four, exactly.' } });
  backup = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Backup answer.' } });
  claude = await startAnthropicMock({ apiKey: 'k' });
  receiver = await startOtlpReceiver();
});

afterAll(async () => {
  await primary.close();
  await backup.close();
  await claude.close();
  await receiver.close();
  await closeHttpAgent();
});

describe.each(['http/protobuf', 'http/json'])('OTLP traces over %s', (protocol) => {
  let gateway: Served;
  beforeAll(async () => {
    gateway = await serve(tracingEnvironment(protocol));
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('a request is a server span under the caller, its attempt a GenAI client span under it', async () => {
    primary.reset();
    const caller = callerContext();
    const requestId = randomUUID();
    const body = { model: 'smart', max_tokens: 50, messages: [{ role: 'user', content: '2+2?' }] };
    const answer = await post(gateway.url, '/v1/chat/completions', body, {
      traceparent: caller.traceparent,
      tracestate: 'vendor=opaque',
      'x-request-id': requestId,
    });
    expect(answer.status).toBe(200);
    const { server, attempts } = await spansOf(requestId, 1);
    const attempt = attempts[0]!;

    expect(server.contentType).toContain(protocol === 'http/json' ? 'json' : 'protobuf');
    expect(server).toMatchObject({
      traceId: caller.traceId,
      parentSpanId: caller.spanId,
      kind: SERVER,
      name: 'POST /v1/chat/completions',
    });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/chat/completions',
      'http.response.status_code': 200,
      'switchyard.route': 'smart',
    });
    expect(server.resource['service.name']).toBe('switchyard');

    expect(attempt).toMatchObject({ traceId: caller.traceId, kind: CLIENT, name: `chat ${MODEL}` });
    expect(attempt.status.code).not.toBe(ERROR);
    const parsed = JSON.parse(answer.text) as { id: string; usage: Record<string, number> };
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': MODEL,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.usage.input_tokens': parsed.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': parsed.usage.completion_tokens,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.id': parsed.id,
      'server.address': '127.0.0.1',
      'server.port': primary.port,
      'switchyard.route': 'smart',
      'switchyard.attempt': 1,
      'switchyard.provider': 'primary',
    });
    expect(attempt.attributes).not.toHaveProperty('error.type');
    // The vendor was called as a child of the attempt span; the caller's tracestate went along.
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
    expect(primary.requests.at(-1)?.headers.tracestate).toBe('vendor=opaque');
    // No prompts or answers unless the capture variable says so.
    expect(attempt.attributes).not.toHaveProperty('gen_ai.input.messages');
    expect(attempt.attributes).not.toHaveProperty('gen_ai.output.messages');
  });

  it('a streamed request ends its spans when the stream ends, with the time to first token', async () => {
    primary.reset();
    const caller = callerContext();
    const requestId = randomUUID();
    const body = {
      model: 'smart',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream a few words please' }],
    };
    const answer = await post(gateway.url, '/v1/chat/completions', body, {
      traceparent: caller.traceparent,
      'x-request-id': requestId,
    });
    expect(answer.text).toContain('data: [DONE]');
    const { server, attempts } = await spansOf(requestId, 1);
    const attempt = attempts[0]!;
    expect(server).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId });
    expect(attempt.name).toBe(`chat ${MODEL}`);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(attempt.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(attempt.attributes['gen_ai.response.id']).toMatch(/^chatcmpl-/);
    expect(attempt.attributes['switchyard.time_to_first_token_ms']).toBeGreaterThanOrEqual(0);
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
  });

  it('a failover gives two attempt spans, the first with its error type', async () => {
    primary.reset();
    backup.reset();
    primary.failNext({ kind: 'server-error', status: 500 });
    const caller = callerContext();
    const requestId = randomUUID();
    const body = { model: 'smart', messages: [{ role: 'user', content: 'fail over please' }] };
    const answer = await post(gateway.url, '/v1/chat/completions', body, {
      traceparent: caller.traceparent,
      'x-request-id': requestId,
    });
    expect(answer.status).toBe(200);
    const { server, attempts } = await spansOf(requestId, 2);
    const [failed, served] = [...attempts].sort(
      (a, b) =>
        Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']),
    ) as [ReceivedSpan, ReceivedSpan];
    expect(failed.attributes).toMatchObject({
      'switchyard.attempt': 1,
      'switchyard.provider': 'primary',
      'error.type': 'server',
      'server.port': primary.port,
    });
    expect(failed.status.code).toBe(ERROR);
    expect(served.attributes).toMatchObject({
      'switchyard.attempt': 2,
      'switchyard.provider': 'backup',
      'switchyard.fallback_reason': 'server',
      'server.port': backup.port,
    });
    expect(served.attributes).not.toHaveProperty('error.type');
    expect(server.status.code).not.toBe(ERROR);
    // Each vendor saw its own attempt as the parent.
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${failed.spanId}-01`);
    expect(traceparentSent(backup)).toBe(`00-${caller.traceId}-${served.spanId}-01`);
  });
});

describe('every dialect is traced', () => {
  let gateway: Served;
  beforeAll(async () => {
    gateway = await serve(tracingEnvironment('http/protobuf'));
  });
  afterAll(async () => {
    await gateway.close();
  });

  const dialects = [
    {
      path: '/v1/responses',
      body: { model: 'smart', input: 'hello there' },
      operation: 'chat',
      model: MODEL,
    },
    {
      path: '/v1/messages',
      body: { model: 'smart', max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] },
      operation: 'chat',
      model: MODEL,
    },
    {
      path: '/v1/completions',
      body: { model: 'smart', prompt: 'Say hello', max_tokens: 16 },
      operation: 'chat',
      model: MODEL,
    },
    {
      path: '/v1/embeddings',
      body: { model: 'vectors', input: ['one', 'two'] },
      operation: 'embeddings',
      model: EMBEDDING,
    },
  ];

  it.each(dialects)('$path', async ({ path, body, operation, model }) => {
    primary.reset();
    const caller = callerContext();
    const requestId = randomUUID();
    const answer = await post(gateway.url, path, body, {
      traceparent: caller.traceparent,
      'x-request-id': requestId,
    });
    expect(answer.status).toBe(200);
    const { server, attempts } = await spansOf(requestId, 1);
    const attempt = attempts[0]!;
    expect(server).toMatchObject({ parentSpanId: caller.spanId, name: `POST ${path}` });
    expect(attempt.name).toBe(`${operation} ${model}`);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': operation,
      'gen_ai.request.model': model,
      'gen_ai.provider.name': 'openai',
    });
    expect(attempt.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
  });
});

describe('token counts are traced as attempts', () => {
  let gateway: Served;
  beforeAll(async () => {
    gateway = await serve(tracingEnvironment('http/json'));
  });
  afterAll(async () => {
    await gateway.close();
  });

  const counts = [
    {
      path: '/v1/messages/count_tokens',
      body: { model: 'counted', messages: [{ role: 'user', content: 'count these four words' }] },
    },
    { path: '/v1/responses/input_tokens', body: { model: 'counted', input: 'count these words' } },
  ];

  it.each(counts)('$path', async ({ path, body }) => {
    claude.reset();
    const caller = callerContext();
    const requestId = randomUUID();
    const answer = await post(gateway.url, path, body, {
      traceparent: caller.traceparent,
      'x-request-id': requestId,
    });
    expect(answer.status).toBe(200);
    const { input_tokens: inputTokens } = JSON.parse(answer.text) as { input_tokens: number };
    expect(claude.requests.at(-1)?.url).toBe('/v1/messages/count_tokens');
    const { server, attempts } = await spansOf(requestId, 1);
    const attempt = attempts[0]!;
    expect(server).toMatchObject({ parentSpanId: caller.spanId, name: `POST ${path}` });
    expect(server.attributes['switchyard.route']).toBe('counted');
    expect(attempt).toMatchObject({ name: `count_tokens ${CLAUDE}`, kind: CLIENT });
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'count_tokens',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': CLAUDE,
      'gen_ai.usage.input_tokens': inputTokens,
      'switchyard.route': 'counted',
      'switchyard.attempt': 1,
      'server.address': '127.0.0.1',
    });
    expect(attempt.attributes).not.toHaveProperty('gen_ai.input.messages');
    const sent = claude.requests.at(-1)?.headers.traceparent;
    expect(sent).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
  });

  it('a count the vendor refuses ends its attempt span with the error type (the answer is the estimate)', async () => {
    const requestId = randomUUID();
    const answer = await post(
      gateway.url,
      '/v1/messages/count_tokens',
      { model: 'refused', messages: [{ role: 'user', content: 'hello' }] },
      { 'x-request-id': requestId },
    );
    expect(answer.status).toBe(200);
    const { attempts } = await spansOf(requestId, 1);
    expect(attempts[0]?.attributes['error.type']).toBe('auth');
    expect(attempts[0]?.status.code).toBe(ERROR);
  });
});

describe("database mode (the dashboard's runtime under pnpm start)", () => {
  it('traces a request through the Fetch handler too', async () => {
    const database = await openTestDatabase('pglite');
    const actor = { via: 'system' as const };
    const repositories = createRepositories(database.db, { definitions: defaultDefinitions });
    await repositories.providers.create(
      { id: 'primary', name: 'Primary', type: 'openai', endpoint: primary.url, apiKey: 'k' },
      actor,
    );
    await repositories.routes.upsert(
      { name: 'chat', targets: [{ provider: 'primary', model: MODEL, weight: 1 }] },
      actor,
    );
    const runtime = await createGatewayRuntime({
      db: database.db,
      monitorHealth: false,
      environment: tracingEnvironment('http/json'),
      retention: false,
    });
    try {
      primary.reset();
      const caller = callerContext();
      const requestId = randomUUID();
      const response = await runtime.handle(
        new Request('http://dashboard/v1/chat/completions', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            traceparent: caller.traceparent,
            'x-request-id': requestId,
          },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      );
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const { server, attempts } = await spansOf(requestId, 1);
      expect(server).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId });
      expect(attempts[0]?.attributes).toMatchObject({
        'gen_ai.request.model': MODEL,
        'switchyard.route': 'chat',
      });
      expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempts[0]!.spanId}-01`);
    } finally {
      await runtime.close();
      await database.close();
    }
  });
});

describe('log lines', () => {
  const linesOf = (lines: string[], requestId: string) =>
    lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === requestId);

  it("name the request, and with tracing on, the request's trace and span", async () => {
    const lines: string[] = [];
    const gateway = await serve(tracingEnvironment('http/protobuf'), lines);
    try {
      primary.reset();
      primary.failNext({ kind: 'server-error', status: 500 });
      const requestId = randomUUID();
      const body = { model: 'smart', messages: [{ role: 'user', content: 'log me' }] };
      await post(gateway.url, '/v1/chat/completions', body, { 'x-request-id': requestId });
      const { server } = await spansOf(requestId, 2);
      const logged = linesOf(lines, requestId);
      // Two attempts, a fallback and the request.
      expect(logged.map((line) => line.msg)).toEqual(['attempt', 'fallback', 'attempt', 'request']);
      for (const line of logged) {
        expect(line.trace_id).toBe(server.traceId);
        expect(line.span_id).toBe(server.spanId);
      }
    } finally {
      await gateway.close();
    }
  });

  it('name only the request without tracing', async () => {
    const lines: string[] = [];
    const gateway = await serve({}, lines);
    try {
      const requestId = randomUUID();
      const body = { model: 'smart', messages: [{ role: 'user', content: 'log me too' }] };
      await post(gateway.url, '/v1/chat/completions', body, { 'x-request-id': requestId });
      const logged = linesOf(lines, requestId);
      expect(logged.map((line) => line.msg)).toEqual(['attempt', 'request']);
      for (const line of logged) expect(line).not.toHaveProperty('trace_id');
    } finally {
      await gateway.close();
    }
  });
});

describe('message content', () => {
  it('is in the attempt span only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', async () => {
    const gateway = await serve(
      tracingEnvironment('http/json', {
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      }),
    );
    try {
      const requestId = randomUUID();
      const body = {
        model: 'smart',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is 2+2?' },
        ],
      };
      await post(gateway.url, '/v1/chat/completions', body, { 'x-request-id': requestId });
      const { server, attempts } = await spansOf(requestId, 1);
      expect(server.parentSpanId).toBe('');
      const attributes = attempts[0]!.attributes;
      expect(JSON.parse(attributes['gen_ai.input.messages'] as string)).toEqual([
        { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'What is 2+2?' }] },
      ]);
      expect(JSON.parse(attributes['gen_ai.output.messages'] as string)).toEqual([
        {
          role: 'assistant',
          parts: [{ type: 'text', content: 'Four, exactly.' }],
          finish_reason: 'stop',
        },
      ]);
    } finally {
      await gateway.close();
    }
  });
});

describe('without OTEL variables', () => {
  it('no tracer is set and no trace header goes upstream', async () => {
    const gateway = await serve({});
    try {
      primary.reset();
      expect(gateway.runtime.gateway.tracer).toBeUndefined();
      const caller = callerContext();
      const body = { model: 'smart', messages: [{ role: 'user', content: 'untraced' }] };
      const answer = await post(gateway.url, '/v1/chat/completions', body, {
        traceparent: caller.traceparent,
      });
      expect(answer.status).toBe(200);
      expect(traceparentSent(primary)).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });
});
