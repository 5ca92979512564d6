import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../spec/errors.ts';
import { parseMessagesRequest } from './messages-schema.ts';
import { messagesToChat } from './messages-to-chat.ts';

function translate(body: Record<string, unknown>, limit?: number) {
  return messagesToChat(
    parseMessagesRequest({ model: 'm', max_tokens: 64, messages: [], ...body }),
    limit,
  );
}

describe('messagesToChat', () => {
  it('puts the system prompt first and system entries where they stand', () => {
    const { request } = translate({
      system: [
        { type: 'text', text: 'one' },
        { type: 'text', text: 'two' },
      ],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: [{ type: 'text', text: 'env' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'one\ntwo' },
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'env' },
    ]);
  });

  it('maps tool_use to tool calls and tool_result to tool messages before the rest of the turn', () => {
    const { request } = translate({
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 't', signature: 's' },
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 'tu_1', name: 'find', input: { q: 'x' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'tu_1', content: [{ type: 'text', text: 'ok' }] },
            { type: 'tool_result', tool_use_id: 'tu_2', content: 'bad', is_error: true },
            { type: 'text', text: 'and now?' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'tu_1', type: 'function', function: { name: 'find', arguments: '{"q":"x"}' } },
        ],
        reasoning: [{ text: 't', signature: 's', origin: 'anthropic' }],
      },
      { role: 'tool', tool_call_id: 'tu_1', content: 'ok' },
      { role: 'tool', tool_call_id: 'tu_2', content: 'Error: bad' },
      { role: 'user', content: [{ type: 'text', text: 'and now?' }] },
    ]);
  });

  it('keeps the thinking of assistant turns as their reasoning, in order, with its family', () => {
    const { request } = translate({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'first', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'withheld' },
            { type: 'thinking', thinking: 'unsigned', signature: '' },
            // a signature another family made, sealed by the gateway when it answered
            { type: 'thinking', thinking: 'other', signature: 'swy1:gemini:s:ts-1' },
            { type: 'tool_use', id: 'tu_1', name: 'find', input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: 'ok' }] },
      ],
    });
    const assistant = request.messages[1];
    if (assistant?.role !== 'assistant') throw new Error('expected the assistant turn second');
    expect(assistant.reasoning).toEqual([
      { text: 'first', signature: 'sig-1', origin: 'anthropic' },
      { text: '', encrypted: 'withheld', origin: 'anthropic' },
      { text: 'unsigned' },
      { text: 'other', signature: 'ts-1', origin: 'gemini' },
    ]);
    expect(assistant.content).toBeNull();
    const plain = translate({ messages: [{ role: 'assistant', content: 'hi' }] }).request;
    expect(plain.messages[0]).not.toHaveProperty('reasoning');
  });

  it('maps images, tools, tool_choice and sampling', () => {
    const { request } = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
          ],
        },
      ],
      tools: [
        { name: 'find', input_schema: { type: 'object' } },
        { type: 'web_search_20250305', name: 'web_search' },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      top_k: 5,
      metadata: { user_id: 'u' },
    });
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
    });
    expect(request.tools).toEqual([
      { type: 'function', function: { name: 'find', parameters: { type: 'object' } } },
    ]);
    expect(request).toMatchObject({
      tool_choice: 'required',
      parallel_tool_calls: false,
      stop: ['END'],
      top_k: 5,
      user: 'u',
    });
    expect(
      translate({ messages: [{ role: 'user', content: 'x' }], tools: [] }).request,
    ).not.toHaveProperty('tools');
  });

  it('maps thinking to a reasoning effort and clamps max_tokens to the limit', () => {
    const messages = [{ role: 'user', content: 'x' }];
    const budget = (budget_tokens: number) =>
      translate({ messages, thinking: { type: 'enabled', budget_tokens } }).notes.reasoningEffort;
    expect([budget(1024), budget(4096), budget(20_000)]).toEqual(['low', 'medium', 'high']);
    const adaptive = translate({
      messages,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'max' },
    });
    expect(adaptive.request.reasoning_effort).toBe('high');
    expect(translate({ messages, thinking: { type: 'disabled' } }).request).not.toHaveProperty(
      'reasoning_effort',
    );
    const clamped = translate({ messages, max_tokens: 32_000 }, 1000);
    expect(clamped.request.max_tokens).toBe(1000);
    expect(clamped.notes.clampedFrom).toBe(32_000);
    expect(translate({ messages }, 1000).notes.clampedFrom).toBeUndefined();
  });
});

describe('parseMessagesRequest', () => {
  it('names the Messages field that is wrong', () => {
    const bad = (body: unknown) => {
      try {
        parseMessagesRequest(body);
      } catch (error) {
        return error instanceof InvalidRequestError ? error.message : 'other';
      }
      return 'accepted';
    };
    expect(bad({ model: 'm', messages: [] })).toMatch(/^max_tokens: /);
    expect(
      bad({
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'user', content: [{ type: 'image' }] }],
      }),
    ).toMatch(/^messages\.0\.content\.0\.source: /);
    expect(
      bad({
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'user', content: [{ type: 'new_kind' }] }],
      }),
    ).toBe('accepted');
    expect(bad({ model: 'm', max_tokens: 1, messages: [], tool_choice: { type: 'tool' } })).toMatch(
      /^tool_choice\.name: /,
    );
  });
});
