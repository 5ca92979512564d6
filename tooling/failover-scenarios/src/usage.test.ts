// Usage is always present when the client asks for it: an upstream that never reports usage gets
// its tokens counted by the gateway (a real tokenizer), in the usage chunk the client asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScale } from './env.ts';
import { expectedContent, Harness } from './harness.ts';

const scale = timeScale();
const at = (ms: number) => Math.round(ms * scale);

describe.each(['compact', 'spaced'] as const)(
  'usage from an upstream without any, %s JSON',
  (style) => {
    const harness = new Harness(style, at);
    const { primary } = harness;

    beforeAll(() => harness.start());
    afterAll(() => harness.close());

    it('sends a counted usage chunk after the answer', async () => {
      harness.restartGateway();
      primary.reset((exchange) => primary.stream(exchange, { tokens: 12, omitUsage: true }));
      const result = await harness.chat();
      expect(result.error).toBeUndefined();
      expect(result.content).toBe(expectedContent(12));
      expect(result.done).toBe(true);
      // "t0 t1 … t11 " is 25 tokens with the o200k tokenizer; the prompt "count" with its framing 7.
      expect(result.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 25 });
    });
  },
);
