// `pnpm gateway` with the standard OTEL_* variables: the process exports its traces over OTLP/HTTP
// (protobuf and JSON) to a local receiver, and calls vendors with the attempt span as parent.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@switchyard/runtime/test-support/otlp-receiver';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const MODEL = 'gpt-4o-mini';

let primary: OpenAIMock;
let backup: OpenAIMock;
let receiver: OtlpReceiver;
let directory: string;
let configPath: string;

beforeAll(async () => {
  primary = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Traced answer.' } });
  backup = await startOpenAIMock({ apiKey: 'k', behaviour: { reply: 'Backup answer.' } });
  receiver = await startOtlpReceiver();
  directory = await mkdtemp(join(tmpdir(), 'switchyard-tracing-'));
  configPath = join(directory, 'gateway.json');
  const models = [{ name: MODEL }];
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        { id: 'primary', name: 'P', type: 'openai', endpoint: primary.url, apiKey: 'k', models },
        { id: 'backup', name: 'B', type: 'openai', endpoint: backup.url, apiKey: 'k', models },
      ],
      routes: [
        {
          name: 'smart',
          targets: [
            { provider: 'primary', model: MODEL },
            { provider: 'backup', model: MODEL },
          ],
        },
      ],
      retryAttempts: 0,
      enableHealthMonitoring: false,
    }),
  );
});

afterAll(async () => {
  await primary.close();
  await backup.close();
  await receiver.close();
  await rm(directory, { recursive: true, force: true });
});

interface RunningGateway {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Its JSON log lines so far. */
  logLines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function startGateway(environment: Record<string, string>): Promise<RunningGateway> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--config', configPath, '--port', '0'],
    { env: Object.assign({}, process.env, { LOG_LEVEL: 'info' }, environment) },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)".*Switchyard gateway listening/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
  });
  return {
    url,
    child,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function chat(url: string, body: Record<string, unknown>, traceparent: string) {
  const requestId = randomUUID();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent, 'x-request-id': requestId },
    body: JSON.stringify(Object.assign({ model: 'smart' }, body)),
  });
  return { requestId, status: response.status, text: await response.text() };
}

async function spansOf(requestId: string, attempts: number) {
  const [server] = await receiver.waitForSpans(
    (span) => span.attributes['switchyard.request_id'] === requestId,
    1,
  );
  const children = await receiver.waitForSpans(
    (span) => span.parentSpanId === server!.spanId,
    attempts,
  );
  const byNumber = (a: ReceivedSpan, b: ReceivedSpan) =>
    Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']);
  return { server: server!, attempts: children.sort(byNumber) };
}

function traceparentSent(mock: OpenAIMock): string | undefined {
  const header = mock.requests.at(-1)?.headers.traceparent;
  return Array.isArray(header) ? header[0] : header;
}

describe.each(['http/protobuf', 'http/json'])('pnpm gateway exporting over %s', (protocol) => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '20',
      LOG_LEVEL: 'debug',
    });
  }, 30_000);
  afterAll(async () => {
    await gateway.stop();
  });

  it('a non-streamed request: server span under the caller, attempt span under it', async () => {
    primary.reset();
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'secret prompt words' }];
    const answer = await chat(gateway.url, { messages, max_tokens: 40 }, caller.traceparent);
    expect(answer.status).toBe(200);
    const { server, attempts } = await spansOf(answer.requestId, 1);
    const attempt = attempts[0]!;
    expect(server).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId, kind: 2 });
    expect(server.resource['service.name']).toBe('gateway-under-test');
    expect(server.contentType).toContain(protocol === 'http/json' ? 'json' : 'protobuf');
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
    // No message content without OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT.
    expect(JSON.stringify([server, attempt])).not.toContain('secret prompt words');
    expect(JSON.stringify([server, attempt])).not.toContain('Traced answer');
    // The request's log lines name its trace and span.
    const logged = gateway.logLines().filter((line) => line.requestId === answer.requestId);
    expect(logged.map((line) => line.msg)).toEqual(['attempt', 'request']);
    for (const line of logged)
      expect(line).toMatchObject({ trace_id: server.traceId, span_id: server.spanId });
  });

  it('a streamed request: its spans end with the stream, with the time to first token', async () => {
    primary.reset();
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'stream me something' }];
    const answer = await chat(gateway.url, { messages, stream: true }, caller.traceparent);
    expect(answer.text).toContain('[DONE]');
    const { server, attempts } = await spansOf(answer.requestId, 1);
    const attempt = attempts[0]!;
    expect(server.parentSpanId).toBe(caller.spanId);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.response.model': MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(attempt.attributes['switchyard.time_to_first_token_ms']).toBeGreaterThanOrEqual(0);
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
  });

  it('a failover: two attempt spans, the first with error.type', async () => {
    primary.reset();
    backup.reset();
    primary.failNext({ kind: 'server-error', status: 503 });
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'fail over' }];
    const answer = await chat(gateway.url, { messages }, caller.traceparent);
    expect(answer.status).toBe(200);
    const { attempts } = await spansOf(answer.requestId, 2);
    const [failed, served] = attempts as [ReceivedSpan, ReceivedSpan];
    expect(failed.attributes).toMatchObject({ 'switchyard.provider': 'primary' });
    expect(typeof failed.attributes['error.type']).toBe('string');
    expect(failed.status.code).toBe(2);
    expect(served.attributes).toMatchObject({ 'switchyard.provider': 'backup' });
    expect(served.attributes).not.toHaveProperty('error.type');
    expect(traceparentSent(primary)).toBe(`00-${caller.traceId}-${failed.spanId}-01`);
    expect(traceparentSent(backup)).toBe(`00-${caller.traceId}-${served.spanId}-01`);
  });
});

describe('pnpm gateway capturing message content', () => {
  it('puts prompts and answers in the attempt span', async () => {
    const gateway = await startGateway({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
    });
    try {
      const caller = callerContext();
      const messages = [{ role: 'user', content: 'captured prompt' }];
      const answer = await chat(gateway.url, { messages }, caller.traceparent);
      const { attempts } = await spansOf(answer.requestId, 1);
      const attributes = attempts[0]!.attributes;
      expect(attributes['gen_ai.input.messages']).toContain('captured prompt');
      expect(attributes['gen_ai.output.messages']).toContain('Traced answer.');
    } finally {
      await gateway.stop();
    }
  }, 30_000);
});
