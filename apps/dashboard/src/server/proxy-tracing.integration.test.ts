// `pnpm start` with the standard OTEL_* variables: requests to the REST proxy, served by the same
// code as server.ts (the proxy branch and the process's services on the embedded database), are
// traced over OTLP/HTTP to a local receiver, and vendors are called with the attempt span as
// parent. No message content goes into spans without the capture variable.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@switchyard/runtime/test-support/otlp-receiver';
import type { Services } from './services.ts';

const MODEL = 'gpt-4o-mini';
const actor = { via: 'system' as const };

let primary: OpenAIMock;
let backup: OpenAIMock;
let receiver: OtlpReceiver;
let home: string;
let services: Services;
let server: Server;
let url: string;
let apiKey: string;

beforeAll(async () => {
  primary = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Traced answer.' } });
  backup = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Backup answer.' } });
  receiver = await startOtlpReceiver();
  home = await mkdtemp(join(tmpdir(), 'switchyard-start-tracing-'));
  // The process environment `pnpm start` reads, set before its services start.
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  delete process.env.REDIS_CLUSTER_NODES;
  delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
  Object.assign(process.env, {
    SWITCHYARD_HOME: home,
    SWITCHYARD_SEED_DEFAULTS: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_SERVICE_NAME: 'dashboard-under-test',
    OTEL_BSP_SCHEDULE_DELAY: '20',
  });
  const { getServices } = await import('./services.ts');
  const { isProxyRequest, serveProxy } = await import('./proxy-server.ts');
  const { stampClientAddress } = await import('./auth/client-address.ts');
  services = await getServices();
  const { repositories } = services;
  const models = [{ name: MODEL }];
  await repositories.providers.create(
    { id: 'primary', name: 'P', type: 'openai', endpoint: primary.url, apiKey: 'k', models },
    actor,
  );
  await repositories.providers.create(
    { id: 'backup', name: 'B', type: 'openai', endpoint: backup.url, apiKey: 'k', models },
    actor,
  );
  await repositories.routes.upsert(
    {
      name: 'smart',
      targets: [
        { provider: 'primary', model: MODEL },
        { provider: 'backup', model: MODEL },
      ],
      retryAttempts: 0,
    },
    actor,
  );
  apiKey = (await repositories.keys.create({ name: 'traced' }, actor)).key;
  await services.runtime.reload();
  // server.ts's request handler for the proxy paths, on a port of its own.
  server = createServer((request, response) => {
    stampClientAddress(request);
    if (isProxyRequest(request.url)) serveProxy(request, response, []);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await services?.runtime.close();
  await services?.db.close();
  await primary?.close();
  await backup?.close();
  await receiver?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function chat(body: Record<string, unknown>, traceparent: string) {
  const requestId = randomUUID();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      traceparent,
      'x-request-id': requestId,
    },
    body: JSON.stringify(Object.assign({ model: 'smart' }, body)),
  });
  return { requestId, status: response.status, text: await response.text() };
}

async function spansOf(requestId: string, attempts: number) {
  const [request] = await receiver.waitForSpans(
    (span) => span.attributes['switchyard.request_id'] === requestId,
    1,
  );
  const children = await receiver.waitForSpans(
    (span) => span.parentSpanId === request!.spanId,
    attempts,
  );
  const byNumber = (a: ReceivedSpan, b: ReceivedSpan) =>
    Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']);
  return { request: request!, attempts: children.sort(byNumber) };
}

function traceparentSent(mock: OpenAIMock): string | undefined {
  const header = mock.requests.at(-1)?.headers.traceparent;
  return Array.isArray(header) ? header[0] : header;
}

describe('pnpm start exporting traces', () => {
  it('a non-streamed request: one server span under the caller, its attempt under it', async () => {
    primary.reset();
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'secret prompt words' }];
    const answer = await chat({ messages, max_tokens: 40 }, caller.traceparent);
    expect(answer.status).toBe(200);
    const { request, attempts } = await spansOf(answer.requestId, 1);
    const attempt = attempts[0]!;
    expect(request).toMatchObject({
      traceId: caller.traceId,
      parentSpanId: caller.spanId,
      kind: 2,
      name: 'POST /v1/chat/completions',
    });
    expect(request.resource['service.name']).toBe('dashboard-under-test');
    expect(request.contentType).toContain('protobuf');
    // Exactly one server span for the request: no second one from HTTP instrumentation.
    const inTrace = receiver.spans.filter((span) => span.traceId === caller.traceId);
    expect(inTrace.filter((span) => span.kind === 2)).toHaveLength(1);
    const parsed = JSON.parse(answer.text) as { id: string; usage: Record<string, number> };
    expect(attempt).toMatchObject({ kind: 3, name: `chat ${MODEL}` });
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': MODEL,
      'gen_ai.request.max_tokens': 40,
      'gen_ai.response.id': parsed.id,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': parsed.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': parsed.usage.completion_tokens,
      'server.address': '127.0.0.1',
      'switchyard.route': 'smart',
    });
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
    expect(JSON.stringify([request, attempt])).not.toContain('secret prompt words');
    expect(JSON.stringify([request, attempt])).not.toContain('Traced answer');
  });

  it('a streamed request: its spans end with the stream, with the time to first token', async () => {
    primary.reset();
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'stream me something' }];
    const answer = await chat({ messages, stream: true }, caller.traceparent);
    expect(answer.text).toContain('[DONE]');
    const { request, attempts } = await spansOf(answer.requestId, 1);
    const attempt = attempts[0]!;
    expect(request.parentSpanId).toBe(caller.spanId);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.response.model': MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(attempt.attributes['switchyard.time_to_first_token_ms']).toBeGreaterThanOrEqual(0);
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
    expect(JSON.stringify([request, attempt])).not.toContain('stream me something');
  });

  it('a failover: two attempt spans, the first with error.type', async () => {
    primary.reset();
    backup.reset();
    primary.failNext({ kind: 'server-error', status: 503 });
    const caller = callerContext();
    const answer = await chat(
      { messages: [{ role: 'user', content: 'fail over' }] },
      caller.traceparent,
    );
    expect(answer.status).toBe(200);
    const { attempts } = await spansOf(answer.requestId, 2);
    const [failed, served] = attempts as [ReceivedSpan, ReceivedSpan];
    expect(failed.attributes).toMatchObject({ 'switchyard.provider': 'primary' });
    expect(typeof failed.attributes['error.type']).toBe('string');
    expect(failed.status.code).toBe(2);
    expect(served.attributes).toMatchObject({
      'switchyard.provider': 'backup',
      'switchyard.attempt': 2,
    });
    expect(served.attributes).not.toHaveProperty('error.type');
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${failed.spanId}-01`);
    expect(traceparentSent(backup)).toBe(`00-${caller.traceId}-${served.spanId}-01`);
  });
});
