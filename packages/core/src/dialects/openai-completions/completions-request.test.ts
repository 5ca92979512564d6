import { describe, expect, it } from 'vitest';
import { parseCompletionsBody, toChatBody, untranslatableFields } from './completions-request.ts';

describe('the legacy completions body', () => {
  it("translates the prompt to one user message with OpenAI's default max_tokens", () => {
    const chat = toChatBody(parseCompletionsBody({ model: 'm', prompt: 'hi', temperature: 0.2 }));
    expect(chat).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 16,
      temperature: 0.2,
    });
  });

  it('lists what a chat model cannot honour, and asks chat targets to refuse it', () => {
    const body = parseCompletionsBody({ prompt: ['a', 'b'], suffix: 's', best_of: 2, logprobs: 1 });
    expect(untranslatableFields(body)).toEqual(['prompt', 'suffix', 'best_of', 'logprobs']);
    expect(toChatBody(body).logprobs).toBe(true);
    expect(
      untranslatableFields(parseCompletionsBody({ prompt: 'a', echo: true, best_of: 1 })),
    ).toEqual([]);
  });

  it('names the bad field', () => {
    expect(() => parseCompletionsBody({ model: 'm' })).toThrow(
      expect.objectContaining({ param: 'prompt' }),
    );
    expect(() => parseCompletionsBody({ prompt: 'x', logprobs: 9 })).toThrow(
      expect.objectContaining({ param: 'logprobs' }),
    );
  });
});
