// `pnpm start` with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, exporting over
// http/json: the attempt span carries the prompt and the answer, as the GenAI conventions put them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerContext,
  startTracedProxy,
  traceparentSent,
  type TracedProxy,
} from './traced-proxy-support.ts';

let proxy: TracedProxy;

beforeAll(async () => {
  proxy = await startTracedProxy({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
  });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
});

describe('pnpm start capturing message content', () => {
  it('puts the prompt and the answer in the attempt span, exported as JSON', async () => {
    const caller = callerContext();
    const messages = [{ role: 'user', content: 'captured prompt' }];
    const answer = await proxy.chat({ messages }, caller.traceparent);
    expect(answer.status).toBe(200);
    const { request, attempts } = await proxy.spansOf(answer.requestId, 1);
    expect(request).toMatchObject({ traceId: caller.traceId, parentSpanId: caller.spanId });
    expect(request.contentType).toContain('json');
    expect(request.resource['service.name']).toBe('switchyard');
    const attributes = attempts[0]!.attributes;
    expect(attributes['gen_ai.input.messages']).toContain('captured prompt');
    expect(attributes['gen_ai.output.messages']).toContain('Traced answer.');
    expect(traceparentSent(proxy.primary)).toBe(`00-${caller.traceId}-${attempts[0]!.spanId}-01`);
  });
});
