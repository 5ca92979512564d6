import { UpstreamError, type ChatRequest } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';

const target = { defaultMaxTokens: 1024, provider: 'claude' };

function build(request: Partial<ChatRequest>) {
  return convertToAnthropicRequest(
    { messages: [{ role: 'user', content: 'hi' }], ...request },
    'claude-x',
    false,
    target,
  );
}

function refusal(request: Partial<ChatRequest>): UpstreamError {
  try {
    build(request);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected the request to be refused');
}

describe('convertToAnthropicRequest', () => {
  it('moves system and developer messages to the top-level system and merges same-role turns', () => {
    const body = build({
      messages: [
        { role: 'system', content: 'Rule one.' },
        { role: 'user', content: 'first' },
        { role: 'developer', content: [{ type: 'text', text: 'Rule two.' }] },
        { role: 'user', content: [{ type: 'text', text: 'second' }] },
        { role: 'assistant', content: 'answer' },
        { role: 'assistant', content: [{ type: 'text', text: 'more' }] },
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'Rule one.' },
      { type: 'text', text: 'Rule two.' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'first' },
          { type: 'text', text: 'second' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'answer' },
          { type: 'text', text: 'more' },
        ],
      },
    ]);
  });

  it('puts consecutive tool results into one user turn after the tool calls', () => {
    const body = build({
      messages: [
        { role: 'user', content: 'two lookups' },
        {
          role: 'assistant',
          content: 'Looking up.',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'one' },
        { role: 'tool', tool_call_id: 'b', content: [{ type: 'text', text: 'two' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'two lookups' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking up.' },
          { type: 'tool_use', id: 'a', name: 'f', input: { x: 1 } },
          { type: 'tool_use', id: 'b', name: 'g', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: 'one' },
          { type: 'tool_result', tool_use_id: 'b', content: 'two' },
        ],
      },
    ]);
  });

  it('refuses tool-call arguments that are not a JSON object, naming the field', () => {
    const error = refusal({
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{broken' } },
          ],
        },
      ],
    });
    expect(error).toMatchObject({
      kind: 'bad_request',
      status: 400,
      param: 'messages[1].tool_calls[0].function.arguments',
      retryable: false,
    });
  });

  it('maps images: data URLs inline as base64, http(s) URLs by reference', () => {
    const body = build({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('refuses image types and inputs Anthropic does not take', () => {
    const image = (url: string): Partial<ChatRequest> => ({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
    });
    expect(refusal(image('data:image/bmp;base64,Qk0='))).toMatchObject({
      code: 'unsupported_parameter',
      param: 'messages[0].content[0].image_url.url',
    });
    expect(refusal(image('ftp://example.com/a.png'))).toMatchObject({
      kind: 'bad_request',
      code: 'invalid_request',
    });
    expect(
      refusal({
        messages: [
          {
            role: 'user',
            content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
          },
        ],
      }),
    ).toMatchObject({
      code: 'unsupported_parameter',
    });
  });

  it('maps tools and every tool_choice form', () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'f',
          description: 'does f',
          parameters: { type: 'object' },
          strict: true,
        },
      },
    ];
    expect(build({ tools }).tools).toEqual([
      { name: 'f', description: 'does f', input_schema: { type: 'object' }, strict: true },
    ]);
    expect(build({ tools }).tool_choice).toBeUndefined();
    expect(build({ tools, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' });
    expect(build({ tools, tool_choice: 'required' }).tool_choice).toEqual({ type: 'any' });
    expect(build({ tools, tool_choice: 'none' }).tool_choice).toEqual({ type: 'none' });
    expect(
      build({ tools, tool_choice: { type: 'function', function: { name: 'f' } } }).tool_choice,
    ).toEqual({ type: 'tool', name: 'f' });
    expect(build({ tools, parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(build({ tool_choice: 'required' }).tool_choice).toBeUndefined();
  });

  it('maps sampling fields and limits', () => {
    const body = build({
      temperature: 0.2,
      top_p: 0.9,
      stop: ['a', 'b'],
      max_tokens: 50,
      user: 'user-7',
      seed: 3,
      stream_options: { include_usage: true },
    });
    expect(body).toEqual({
      model: 'claude-x',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['a', 'b'],
      metadata: { user_id: 'user-7' },
    });
    expect(build({}).max_tokens).toBe(1024);
    expect(
      convertToAnthropicRequest(
        { messages: [{ role: 'user', content: 'x' }] },
        'claude-x',
        true,
        target,
      ).stream,
    ).toBe(true);
  });

  it.each<[string, Partial<ChatRequest>]>([
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 3 }],
    ['logit_bias', { logit_bias: { '42': 5 } }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -0.5 }],
    ['temperature', { temperature: 1.5 }],
    [
      'response_format',
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } },
    ],
    ['reasoning_effort', { reasoning_effort: 'extreme' }],
    ['temperature', { reasoning_effort: 'low', temperature: 0.2 }],
    ['tool_choice', { reasoning_effort: 'low', tool_choice: 'required' }],
    ['max_tokens', { reasoning_effort: 'low', max_tokens: 1000 }],
  ])('refuses %s before sending', (param, request) => {
    expect(refusal(request)).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      param,
      retryable: false,
      provider: 'claude',
    });
  });

  it('accepts the neutral values of fields it cannot honour', () => {
    expect(() =>
      build({
        n: 1,
        logprobs: false,
        presence_penalty: 0,
        frequency_penalty: 0,
        logit_bias: {},
        response_format: { type: 'text' },
      }),
    ).not.toThrow();
  });

  it('maps reasoning_effort to a thinking budget below max_tokens', () => {
    // no limit set: the budget plus the default answer allowance
    expect(build({ reasoning_effort: 'medium' })).toMatchObject({
      max_tokens: 2048 + 1024,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    // a client's limit stays; the budget shrinks under it
    expect(build({ reasoning_effort: 'high', max_tokens: 2000 })).toMatchObject({
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1999 },
    });
    expect(build({ reasoning_effort: 'none' })).not.toHaveProperty('thinking');
  });

  it('sends no thinking when the request continues an assistant tool turn', () => {
    const toolTurn: Partial<ChatRequest> = {
      reasoning_effort: 'high',
      temperature: 0.2,
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'w', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
    };
    const body = build(toolTurn);
    expect(body).not.toHaveProperty('thinking');
    expect(body.temperature).toBe(0.2);
  });

  it('sends back Claude-signed reasoning as thinking blocks first in the turn, and nothing else', () => {
    const body = build({
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: 'Looking.',
          reasoning: [
            { text: 'Need a tool.', signature: 'sig_1', origin: 'anthropic' },
            { text: '', encrypted: 'withheld', origin: 'anthropic' },
            { text: 'Unsigned thought.' },
            { text: 'Gemini thought.', signature: 'gem', origin: 'gemini' },
          ],
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'w', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
    });
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Need a tool.', signature: 'sig_1' },
        { type: 'redacted_thinking', data: 'withheld' },
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'w', input: {} },
      ],
    });
  });

  it('keeps thinking on when the continued tool turn carries its signed thinking', () => {
    const body = build({
      reasoning_effort: 'low',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          reasoning: [{ text: 'Need a tool.', signature: 'sig_1', origin: 'anthropic' }],
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'w', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
    });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(body.messages[1]?.content[0]).toEqual({
      type: 'thinking',
      thinking: 'Need a tool.',
      signature: 'sig_1',
    });
  });
});
