// The scenarios a gateway can only fail cleanly without mid-stream continuation (S08, S09, S10,
// S14), with upstreams that declare they continue from an assistant prefill: the stream broken
// after its first token is continued and the client gets the whole answer, seamlessly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { timeScale } from './env.ts';
import { expectedContent, Harness, type StreamResult } from './harness.ts';

const scale = timeScale();
const at = (ms: number) => Math.round(ms * scale);
const scenarioMs = (elapsedMs: number) => elapsedMs / scale;

/** The whole answer, as one stream: one role chunk, usage, `[DONE]`, no error. */
function expectSeamless(result: StreamResult, tokens: number): void {
  expect(result.status).toBe(200);
  expect(result.error).toBeUndefined();
  expect(result.content).toBe(expectedContent(tokens));
  expect(result.roleChunks).toBe(1);
  expect(result.done).toBe(true);
  expect(result.usage).toBeDefined();
}

describe.each(['compact', 'spaced'] as const)('mid-stream continuation, %s JSON', (style) => {
  const harness = new Harness(style, at, { prefill: true });
  const { primary, fallback } = harness;

  beforeAll(() => harness.start());
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.restartGateway();
    primary.reset((exchange) => primary.stream(exchange, { tokens: 5 }));
    fallback.reset((exchange) => fallback.stream(exchange, { tokens: 5 }));
  });

  it('S08 stream dies after 40 of 60 tokens: the rest comes from a continuation', async () => {
    // The primary keeps dying at token 40, continuation or not: the fallback finishes the answer.
    primary.reset((exchange) =>
      primary.stream(exchange, { tokens: 60, cutAfter: 40, continuePrefill: true }),
    );
    fallback.reset((exchange) => fallback.stream(exchange, { tokens: 60, continuePrefill: true }));
    const result = await harness.chat();
    expectSeamless(result, 60);
    const continued = fallback.bodies[0]?.messages as Array<{ role: string; content: string }>;
    expect(continued.at(-1)).toEqual({
      role: 'assistant',
      content: expectedContent(40).trimEnd(),
    });
    expect(result.usage).toMatchObject({ completion_tokens: 20 });
  });

  it('S09 silent for 30 s after 20 tokens: the stall is cut and the answer continued within 45 s', async () => {
    primary.reset((exchange) =>
      exchange.attempt === 1
        ? primary.stream(exchange, { tokens: 60, stallAfter: 20, stallMs: at(30_000) })
        : primary.stream(exchange, { tokens: 60, continuePrefill: true }),
    );
    const result = await harness.chat();
    expectSeamless(result, 60);
    expect(scenarioMs(result.elapsedMs)).toBeLessThanOrEqual(45_000);
  });

  it('S10 tenth event is invalid JSON: the answer is continued past it', async () => {
    primary.reset((exchange) =>
      exchange.attempt === 1
        ? primary.stream(exchange, { tokens: 30, invalidEvent: 10 })
        : primary.stream(exchange, { tokens: 30, continuePrefill: true }),
    );
    const result = await harness.chat();
    expectSeamless(result, 30);
  });

  it('S14 the fallback rejects the prefill: the original error, never the prefill 400', async () => {
    primary.reset((exchange) =>
      exchange.attempt === 1
        ? primary.stream(exchange, { tokens: 60, cutAfter: 40 })
        : primary.error(exchange.response, 400, 'invalid_request_error', 'no prefill here'),
    );
    fallback.reset(({ response }) =>
      fallback.error(response, 400, 'invalid_request_error', 'assistant prefill is not supported'),
    );
    const result = await harness.chat();
    expect(result.done).toBe(false);
    expect(result.error).toBeDefined();
    expect(result.error?.message ?? '').not.toContain('prefill');
    expect(result.content).toBe(expectedContent(40));
  });
});
