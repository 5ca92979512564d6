// `pnpm start` with the standard OTEL_* variables (protobuf, no content capture): requests to
// the REST proxy, served by the same code as server.ts, are traced over OTLP/HTTP to a local
// receiver, and vendors are called with the attempt span as parent. No message content goes
// into spans without the capture variable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedSpan } from '@switchyard/runtime/test-support/otlp-receiver';
import {
  callerContext,
  startTracedProxy,
  traceparentSent,
  TRACED_MODEL,
  type TracedProxy,
} from './traced-proxy-support.ts';

let proxy: TracedProxy;

beforeAll(async () => {
  proxy = await startTracedProxy({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_SERVICE_NAME: 'dashboard-under-test',
  });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
});

describe('pnpm start exporting traces', () => {
  it('a non-streamed request: one server span under the caller, its attempt under it', async () => {
    proxy.primary.reset();
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'secret prompt words' }];
    const answer = await proxy.chat({ messages, max_tokens: 40 }, caller.traceparent);
    expect(answer.status).toBe(200);
    const { request, attempts } = await proxy.spansOf(answer.requestId, 1);
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
    const inTrace = proxy.receiver.spans.filter((span) => span.traceId === caller.traceId);
    expect(inTrace.filter((span) => span.kind === 2)).toHaveLength(1);
    const parsed = JSON.parse(answer.text) as { id: string; usage: Record<string, number> };
    expect(attempt).toMatchObject({ kind: 3, name: `chat ${TRACED_MODEL}` });
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': TRACED_MODEL,
      'gen_ai.response.model': TRACED_MODEL,
      'gen_ai.request.max_tokens': 40,
      'gen_ai.response.id': parsed.id,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': parsed.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': parsed.usage.completion_tokens,
      'server.address': '127.0.0.1',
      'switchyard.route': 'smart',
    });
    expect(traceparentSent(proxy.primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
    expect(JSON.stringify([request, attempt])).not.toContain('secret prompt words');
    expect(JSON.stringify([request, attempt])).not.toContain('Traced answer');
  });

  it('a streamed request: its spans end with the stream, with the time to first token', async () => {
    proxy.primary.reset();
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'stream me something' }];
    const answer = await proxy.chat({ messages, stream: true }, caller.traceparent);
    expect(answer.text).toContain('[DONE]');
    const { request, attempts } = await proxy.spansOf(answer.requestId, 1);
    const attempt = attempts[0]!;
    expect(request.parentSpanId).toBe(caller.spanId);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.response.model': TRACED_MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(attempt.attributes['switchyard.time_to_first_token_ms']).toBeGreaterThanOrEqual(0);
    expect(traceparentSent(proxy.primary)).toBe(`00-${caller.traceId}-${attempt.spanId}-01`);
    expect(JSON.stringify([request, attempt])).not.toContain('stream me something');
  });

  it('a failover: two attempt spans, the first with error.type', async () => {
    proxy.primary.reset();
    proxy.backup.reset();
    proxy.primary.failNext({ kind: 'server-error', status: 503 });
    const caller = callerContext();
    const answer = await proxy.chat(
      { messages: [{ role: 'user', content: 'fail over' }] },
      caller.traceparent,
    );
    expect(answer.status).toBe(200);
    const { attempts } = await proxy.spansOf(answer.requestId, 2);
    const [failed, served] = attempts as [ReceivedSpan, ReceivedSpan];
    expect(failed.attributes).toMatchObject({ 'switchyard.provider': 'primary' });
    expect(typeof failed.attributes['error.type']).toBe('string');
    expect(failed.status.code).toBe(2);
    expect(served.attributes).toMatchObject({
      'switchyard.provider': 'backup',
      'switchyard.attempt': 2,
    });
    expect(served.attributes).not.toHaveProperty('error.type');
    expect(traceparentSent(proxy.primary)).toBe(`00-${caller.traceId}-${failed.spanId}-01`);
    expect(traceparentSent(proxy.backup)).toBe(`00-${caller.traceId}-${served.spanId}-01`);
  });
});
