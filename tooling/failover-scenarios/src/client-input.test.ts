// Client input must never take providers down: deeply nested JSON is refused at validation, and
// innocent requests keep being served after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScale } from './env.ts';
import { Harness } from './harness.ts';

const scale = timeScale();
const at = (ms: number) => Math.round(ms * scale);

describe('client input', () => {
  const harness = new Harness('compact', at);

  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  it('answers 400 to JSON nested 6,000 deep and keeps serving everyone else', async () => {
    const depth = 6_000;
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const body = `{"model":"chat","messages":[{"role":"user","content":"hi"}],"extra":${nested}}`;
    for (let request = 0; request < 4; request++) {
      const answer = await harness.post(body);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('64');
    }
    expect(harness.primary.attempts).toHaveLength(0);
    const innocent = await harness.chat();
    expect(innocent.status).toBe(200);
    expect(innocent.headers.get('x-switchyard-provider')).toBe('primary');
  });
});
