import { describe, expect, it } from 'vitest';
import { chatRequestSchema, withoutReasoning, type ChatMessage } from './chat-request.ts';

describe('reasoning on assistant messages', () => {
  it('is kept with its known fields only', () => {
    const parsed = chatRequestSchema.parse({
      messages: [
        {
          role: 'assistant',
          content: 'Hi.',
          reasoning: [{ text: 't', signature: 's', origin: 'o', extra: 'dropped' }],
        },
      ],
    });
    expect(parsed.messages[0]).toEqual({
      role: 'assistant',
      content: 'Hi.',
      reasoning: [{ text: 't', signature: 's', origin: 'o' }],
    });
    expect(
      chatRequestSchema.safeParse({ messages: [{ role: 'assistant', reasoning: [{}] }] }).success,
    ).toBe(false);
  });

  it('is left out for vendors that take none, the other messages untouched', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Hi.', reasoning: [{ text: 't', signature: 's' }] },
    ];
    expect(withoutReasoning(messages)).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Hi.' },
    ]);
    expect(messages[1]).toHaveProperty('reasoning');
    const plain: ChatMessage[] = [{ role: 'user', content: 'go' }];
    expect(withoutReasoning(plain)).toBe(plain);
  });
});
