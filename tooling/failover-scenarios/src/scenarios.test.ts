// failoverbench's sixteen scenarios (methodology v0.1), streaming with one fallback configured,
// each asserting the benchmark's "pass" verdict; with compact and with spaced JSON.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { timeScale } from './env.ts';
import { sleep } from './fake-upstream.ts';
import { expectedContent, Harness, type StreamResult } from './harness.ts';

const scale = timeScale();
const at = (ms: number) => Math.round(ms * scale);

/** Scenario time as the benchmark counts it (ms at full length). */
const scenarioMs = (elapsedMs: number) => elapsedMs / scale;

/** The deadline every request must end within: requestTimeout + 1 s. */
const REQUEST_BUDGET_MS = 60_000 + 1_000;

function expectComplete(result: StreamResult, tokens: number): void {
  expect(result.status).toBe(200);
  expect(result.error).toBeUndefined();
  expect(result.content).toBe(expectedContent(tokens));
  expect(result.done).toBe(true);
}

/** Either the whole answer, or a clear error: never a truncated answer that looks successful. */
function expectWholeOrClearError(result: StreamResult, tokens: number): void {
  if (result.error === undefined) expectComplete(result, tokens);
  else expect(result.done).toBe(false);
}

describe.each(['compact', 'spaced'] as const)('failover scenarios, %s JSON', (style) => {
  const harness = new Harness(style, at);
  const { primary, fallback } = harness;

  beforeAll(() => harness.start());
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.restartGateway();
    primary.reset((exchange) => primary.stream(exchange, { tokens: 5 }));
    fallback.reset((exchange) => fallback.stream(exchange, { tokens: 5 }));
  });

  it('S01 429 with Retry-After 2 s: honours it or fails over', async () => {
    primary.reset((exchange) => {
      if (exchange.attempt === 1)
        return primary.error(exchange.response, 429, 'rate_limit_exceeded', 'slow down', {
          'retry-after-ms': String(at(2_000)),
          'retry-after': String(Math.ceil(at(2_000) / 1000)),
        });
      return primary.stream(exchange, { tokens: 5 });
    });
    const result = await harness.chat();
    expectComplete(result, 5);
    const [first, second] = primary.attempts;
    if (second !== undefined && first !== undefined)
      expect(scenarioMs(second - first)).toBeGreaterThanOrEqual(1_800);
    const early = primary.attempts.filter((time) => time - (first ?? 0) < at(1_500));
    expect(early.length).toBeLessThanOrEqual(2);
  });

  it('S02 persistent 429 without Retry-After: backs off, then fails over', async () => {
    primary.reset(({ response }) => primary.error(response, 429, 'rate_limit_exceeded', 'busy'));
    const result = await harness.chat();
    expectComplete(result, 5);
    expect(primary.attempts.length).toBeLessThanOrEqual(6);
    const first = primary.attempts[0] ?? 0;
    expect(primary.attempts.filter((time) => time - first < at(3_000)).length).toBeLessThanOrEqual(
      4,
    );
  });

  it('S03 500 once: answers', async () => {
    primary.reset((exchange) =>
      exchange.attempt === 1
        ? primary.error(exchange.response, 500, 'server_error', 'oops')
        : primary.stream(exchange, { tokens: 5 }),
    );
    expectComplete(await harness.chat(), 5);
  });

  it('S04 persistent 503: fails over after at most 6 primary attempts', async () => {
    primary.reset(({ response }) => primary.error(response, 503, 'overloaded', 'unavailable'));
    expectComplete(await harness.chat(), 5);
    expect(primary.attempts.length).toBeLessThanOrEqual(6);
  });

  it('S05 TCP reset before headers: answers', async () => {
    primary.reset(({ request }) => void request.socket.destroy());
    expectComplete(await harness.chat(), 5);
  });

  it('S06 no response at all: ends inside the budget after one primary attempt', async () => {
    primary.reset(({ response }) => sleep(at(120_000), response));
    const result = await harness.chat();
    expectComplete(result, 5);
    expect(primary.attempts).toHaveLength(1);
    expect(scenarioMs(result.elapsedMs)).toBeLessThanOrEqual(REQUEST_BUDGET_MS);
  });

  it('S07 first token after 20 s: the first-token limit fails over within 15 s', async () => {
    primary.reset((exchange) =>
      primary.stream(exchange, { tokens: 5, firstTokenDelayMs: at(20_000) }),
    );
    const result = await harness.chat();
    expectComplete(result, 5);
    expect(scenarioMs(result.elapsedMs)).toBeLessThanOrEqual(15_000);
  });

  it('S08 stream dies after 40 of 60 tokens: the whole answer or a clear error', async () => {
    primary.reset((exchange) => primary.stream(exchange, { tokens: 60, cutAfter: 40 }));
    const result = await harness.chat();
    expectWholeOrClearError(result, 60);
    expect(result.error).toBeDefined();
  });

  it('S09 stream silent for 30 s after 20 tokens: detected within 45 s, healthy afterwards', async () => {
    primary.reset((exchange) =>
      exchange.attempt === 1
        ? primary.stream(exchange, { tokens: 60, stallAfter: 20, stallMs: at(30_000) })
        : primary.stream(exchange, { tokens: 5 }),
    );
    const result = await harness.chat();
    expectWholeOrClearError(result, 60);
    expect(scenarioMs(result.elapsedMs)).toBeLessThanOrEqual(45_000);
    const after = await harness.chat();
    expectComplete(after, 5);
    expect(after.headers.get('x-switchyard-provider')).toBe('primary');
  });

  it('S10 tenth event is invalid JSON: fails cleanly, nothing partial leaks, process stays up', async () => {
    primary.reset((exchange) =>
      exchange.attempt === 1
        ? primary.stream(exchange, { tokens: 30, invalidEvent: 10 })
        : primary.stream(exchange, { tokens: 5 }),
    );
    const result = await harness.chat();
    expectWholeOrClearError(result, 30);
    expectComplete(await harness.chat(), 5);
  });

  it('S11 complete stream without [DONE]: finalised promptly with usage', async () => {
    primary.reset((exchange) => primary.stream(exchange, { tokens: 5, omitDone: true }));
    const result = await harness.chat();
    expectComplete(result, 5);
    expect(result.usage).toMatchObject({ completion_tokens: 5 });
    expect(scenarioMs(result.elapsedMs)).toBeLessThanOrEqual(8_000);
  });

  it('S12 context_length_exceeded: no retry of the same model, the larger-context route answers', async () => {
    primary.reset(({ response }) =>
      primary.error(
        response,
        400,
        'context_length_exceeded',
        'maximum context length is 8192 tokens',
      ),
    );
    const result = await harness.chat();
    expectComplete(result, 5);
    expect(primary.attempts).toHaveLength(1);
    expect(fallback.bodies[0]?.model).toBe('long-context');
  });

  it('S13 content_policy_violation: no retry, the classified reason (not the vendor text) reaches the client', async () => {
    primary.reset(({ response }) =>
      primary.error(response, 400, 'content_policy_violation', 'flagged by the safety system'),
    );
    const result = await harness.chat();
    expect(result.status).toBe(400);
    expect(result.error?.message).toContain('content_policy_violation');
    expect(result.error?.message).not.toContain('flagged by the safety system');
    expect(primary.attempts).toHaveLength(1);
    expect(fallback.attempts).toHaveLength(0);
  });

  it('S14 cut after 40 tokens, fallback rejects a prefill: never the prefill 400 as the final error', async () => {
    primary.reset((exchange) => primary.stream(exchange, { tokens: 60, cutAfter: 40 }));
    fallback.reset((exchange) => {
      const { response, body } = exchange;
      const messages = body.messages as Array<{ role: string }>;
      if (messages.at(-1)?.role === 'assistant')
        return fallback.error(
          response,
          400,
          'invalid_request_error',
          'assistant prefill is not supported',
        );
      return fallback.stream(exchange, { tokens: 5 });
    });
    const result = await harness.chat();
    expectWholeOrClearError(result, 60);
    expect(result.error?.message ?? '').not.toContain('prefill');
  });

  it('S15 primary down for 60 s then healthy: served throughout, back on the primary soon', async () => {
    const downUntil = Date.now() + at(60_000);
    primary.reset((exchange) =>
      Date.now() < downUntil
        ? primary.error(exchange.response, 503, 'overloaded', 'unavailable')
        : primary.stream(exchange, { tokens: 5 }),
    );
    const servedBy: Array<{ at: number; provider: string | null }> = [];
    for (let request = 0; request < 20; request++) {
      const result = await harness.chat();
      expectComplete(result, 5);
      servedBy.push({ at: Date.now(), provider: result.headers.get('x-switchyard-provider') });
      await sleep(at(4_000));
    }
    const back = servedBy.find((entry) => entry.at > downUntil && entry.provider === 'primary');
    expect(back).toBeDefined();
    expect(scenarioMs((back?.at ?? Infinity) - downUntil)).toBeLessThanOrEqual(30_000);
  });

  it('S16 primary 503, fallback answers: model and usage are the fallback’s', async () => {
    primary.reset(({ response }) => primary.error(response, 503, 'overloaded', 'unavailable'));
    fallback.reset((exchange) => fallback.stream(exchange, { tokens: 9 }));
    const result = await harness.chat();
    expectComplete(result, 9);
    expect(result.models).toEqual(['fallback-model']);
    expect(result.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 9 });
    expect(result.roleChunks).toBe(1);
  });
});
