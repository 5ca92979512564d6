// S15 with the circuit-breaker settings the gateway ships (time-scaled), not the scenarios' own:
// during a 60 s outage every request is served by the fallback, and the primary is back in use
// soon after its recovery: the next request after the capped cooldown (10 s) probes it, and
// requests come 4 s apart, so within 14 s at worst (the benchmark's pass line is 30 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScale } from './env.ts';
import { sleep } from './fake-upstream.ts';
import { expectedContent, Harness } from './harness.ts';

const scale = timeScale();
const at = (ms: number) => Math.round(ms * scale);
const scenarioMs = (elapsedMs: number) => elapsedMs / scale;

describe('recovery with the shipped defaults', () => {
  const harness = new Harness('compact', at, { shippedCircuitDefaults: true });
  const { primary, fallback } = harness;

  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  it('S15 primary down for 60 s then healthy: back on the primary within 14 s', async () => {
    const downUntil = Date.now() + at(60_000);
    primary.reset((exchange) =>
      Date.now() < downUntil
        ? primary.error(exchange.response, 503, 'overloaded', 'unavailable')
        : primary.stream(exchange, { tokens: 5 }),
    );
    fallback.reset((exchange) => fallback.stream(exchange, { tokens: 5 }));
    const servedBy: Array<{ at: number; provider: string | null }> = [];
    for (let request = 0; request < 20; request++) {
      const result = await harness.chat();
      expect(result.error).toBeUndefined();
      expect(result.content).toBe(expectedContent(5));
      servedBy.push({ at: Date.now(), provider: result.headers.get('x-switchyard-provider') });
      await sleep(at(4_000));
    }
    const back = servedBy.find((entry) => entry.at > downUntil && entry.provider === 'primary');
    expect(back).toBeDefined();
    expect(scenarioMs((back?.at ?? Infinity) - downUntil)).toBeLessThanOrEqual(14_000);
  });
});
