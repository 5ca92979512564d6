// Every request ends within requestTimeout + 1 s whatever the upstream does: trickle, stall,
// silence — streamed or not. The measured figures are printed at the end (real ms).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { timeScale } from './env.ts';
import { sleep } from './fake-upstream.ts';
import { Harness } from './harness.ts';

const scale = timeScale();
const at = (ms: number) => Math.round(ms * scale);
const REQUEST_TIMEOUT_MS = 60_000;

describe('deadlines', () => {
  const harness = new Harness('spaced', at);
  const { primary, fallback } = harness;
  const figures: string[] = [];

  beforeAll(() => harness.start());
  afterAll(async () => {
    console.info(`deadline figures (time scale ${scale}):\n${figures.join('\n')}`);
    await harness.close();
  });
  beforeEach(() => harness.restartGateway());

  const cases = [
    {
      name: 'trickle: one token every 5 s for 10 minutes, on both upstreams',
      upstream: () =>
        primary.reset((exchange) => primary.stream(exchange, { tokens: 120, gapMs: at(5_000) })),
    },
    {
      name: 'stall: silent for 10 minutes after 3 tokens, on both upstreams',
      upstream: () =>
        primary.reset((exchange) =>
          primary.stream(exchange, { tokens: 10, stallAfter: 3, stallMs: at(600_000) }),
        ),
    },
    {
      name: 'silence: no headers for 10 minutes, on both upstreams',
      upstream: () => primary.reset(({ response }) => sleep(at(600_000), response)),
    },
  ];

  for (const scenario of cases) {
    for (const stream of [true, false]) {
      it(`${scenario.name} (${stream ? 'streamed' : 'not streamed'})`, async () => {
        scenario.upstream();
        fallback.reset(primary.behaviour);
        const result = await harness.chat(
          stream ? {} : { stream: false, stream_options: undefined },
        );
        const kind = stream ? 'streamed' : 'not streamed';
        const outcome = result.error?.code ?? String(result.status);
        figures.push(
          `${scenario.name}, ${kind}: ${result.elapsedMs} ms of ${at(REQUEST_TIMEOUT_MS)} ms, ${outcome}`,
        );
        // The extra second is real time: it is what the gateway may take to wind a request up.
        expect(result.elapsedMs).toBeLessThanOrEqual(at(REQUEST_TIMEOUT_MS) + 1_000);
        if (result.error === undefined) expect(result.done || !stream).toBe(true);
        else expect(result.done).toBe(false);
      });
    }
  }
});
