import { UpstreamError, type ChatRequest } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  convertToOpenAIRequest,
  FULL_OPENAI_CAPABILITIES,
  type OpenAIRequestCapabilities,
  type OpenAIRequestTarget,
} from './convert-to-openai-request.ts';

const openai: OpenAIRequestTarget = {
  provider: 'openai-main',
  vendor: 'OpenAI',
  capabilities: FULL_OPENAI_CAPABILITIES,
};

const limited: OpenAIRequestCapabilities = {
  streamUsage: false,
  maxCompletionTokens: false,
  imageUrls: false,
  toolChoice: false,
  jsonObject: false,
  unsupported: ['n', 'logprobs', 'top_logprobs', 'logit_bias'],
};
const local: OpenAIRequestTarget = {
  provider: 'ollama-box',
  vendor: 'Ollama',
  capabilities: limited,
};

const chat = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

const tools: ChatRequest['tools'] = [
  { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
];

function refusal(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected the request to be refused');
}

describe('convertToOpenAIRequest', () => {
  it('replaces the model and keeps fields it does not know', () => {
    const body = convertToOpenAIRequest(
      chat({ model: 'public', temperature: 0.5, prediction: { type: 'content', content: 'x' } }),
      'gpt-x',
      false,
      openai,
    );
    expect(body).toEqual({
      model: 'gpt-x',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.5,
      prediction: { type: 'content', content: 'x' },
    });
  });

  it('leaves out the reasoning earlier turns carried, which Chat Completions has no field for', () => {
    const body = convertToOpenAIRequest(
      chat({
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: 'Hello.',
            reasoning: [{ text: 'Greet.', signature: 'sig', origin: 'anthropic' }],
          },
          { role: 'user', content: 'again' },
        ],
      }),
      'gpt-x',
      false,
      openai,
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'again' },
    ]);
  });

  it('leaves out top-level nulls, which mean the default', () => {
    const body = convertToOpenAIRequest(
      chat({ temperature: null, max_tokens: null, seed: 3 }),
      'm',
      false,
      openai,
    );
    expect(body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }], seed: 3 });
  });

  it('asks for JSON mode as a schema where the server has no json_object', () => {
    expect(
      convertToOpenAIRequest(chat({ response_format: { type: 'json_object' } }), 'm', false, local),
    ).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'json_object', schema: { type: 'object' } },
      },
    });
    expect(
      convertToOpenAIRequest(
        chat({ response_format: { type: 'json_object' } }),
        'm',
        false,
        openai,
      ),
    ).toMatchObject({ response_format: { type: 'json_object' } });
    const schema = {
      type: 'json_schema' as const,
      json_schema: {
        name: 'answer',
        schema: { type: 'object', properties: { a: { type: 'string' } } },
      },
    };
    expect(
      convertToOpenAIRequest(chat({ response_format: schema }), 'm', false, local),
    ).toMatchObject({ response_format: schema });
  });

  it('does not change the request it was given', () => {
    const request = chat({ max_tokens: 10, max_completion_tokens: 20, stream: true });
    convertToOpenAIRequest(request, 'm', true, local);
    expect(request).toEqual(chat({ max_tokens: 10, max_completion_tokens: 20, stream: true }));
  });

  it('lets max_completion_tokens win over max_tokens', () => {
    expect(
      convertToOpenAIRequest(
        chat({ max_tokens: 10, max_completion_tokens: 20 }),
        'm',
        false,
        openai,
      ),
    ).toMatchObject({ max_completion_tokens: 20 });
    expect(
      convertToOpenAIRequest(
        chat({ max_tokens: 10, max_completion_tokens: 20 }),
        'm',
        false,
        openai,
      ),
    ).not.toHaveProperty('max_tokens');
    const forLocal = convertToOpenAIRequest(
      chat({ max_tokens: 10, max_completion_tokens: 20 }),
      'm',
      false,
      local,
    );
    expect(forLocal).toMatchObject({ max_tokens: 20 });
    expect(forLocal).not.toHaveProperty('max_completion_tokens');
    expect(convertToOpenAIRequest(chat({ max_tokens: 10 }), 'm', false, local)).toMatchObject({
      max_tokens: 10,
    });
  });

  it('asks for usage on streams where the server supports it, keeping the client stream options', () => {
    expect(
      convertToOpenAIRequest(
        chat({ stream_options: { include_usage: false, include_obfuscation: false } }),
        'm',
        true,
        openai,
      ),
    ).toMatchObject({
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
    });
    const forLocal = convertToOpenAIRequest(
      chat({ stream_options: { include_usage: true } }),
      'm',
      true,
      local,
    );
    expect(forLocal).toMatchObject({ stream: true });
    expect(forLocal).not.toHaveProperty('stream_options');
  });

  it('removes stream fields from a non-stream call', () => {
    const body = convertToOpenAIRequest(
      chat({ stream: true, stream_options: { include_usage: true } }),
      'm',
      false,
      openai,
    );
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('stream_options');
  });

  it.each([
    ['n', { n: 3 }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 2 }],
    ['logit_bias', { logit_bias: { '42': 5 } }],
  ] as const)('refuses %s on a server that cannot honour it', (param, extra) => {
    const error = refusal(() => convertToOpenAIRequest(chat(extra), 'm', false, local));
    expect(error).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      param,
      retryable: false,
      provider: 'ollama-box',
    });
    expect(error.message).toBe(`Ollama does not support ${param}`);
  });

  it('drops default values of fields the server does not know', () => {
    const body = convertToOpenAIRequest(
      chat({ n: 1, logprobs: false, logit_bias: {} }),
      'm',
      false,
      local,
    );
    expect(body).not.toHaveProperty('n');
    expect(body).not.toHaveProperty('logprobs');
    expect(body).not.toHaveProperty('logit_bias');
  });

  it('maps tool_choice for servers without it: auto dropped, none drops the tools, forcing refused', () => {
    const auto = convertToOpenAIRequest(chat({ tools, tool_choice: 'auto' }), 'm', false, local);
    expect(auto).toMatchObject({ tools });
    expect(auto).not.toHaveProperty('tool_choice');
    const none = convertToOpenAIRequest(
      chat({ tools, tool_choice: 'none', parallel_tool_calls: false }),
      'm',
      false,
      local,
    );
    expect(none).not.toHaveProperty('tools');
    expect(none).not.toHaveProperty('tool_choice');
    expect(none).not.toHaveProperty('parallel_tool_calls');
    expect(
      refusal(() =>
        convertToOpenAIRequest(chat({ tools, tool_choice: 'required' }), 'm', false, local),
      ).param,
    ).toBe('tool_choice');
    const forced = chat({ tools, tool_choice: { type: 'function', function: { name: 'lookup' } } });
    expect(refusal(() => convertToOpenAIRequest(forced, 'm', false, local)).param).toBe(
      'tool_choice',
    );
    expect(convertToOpenAIRequest(forced, 'm', false, openai)).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'lookup' } },
    });
  });

  it('refuses http image URLs where the server only takes inline images', () => {
    const remote = chat({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
    const error = refusal(() => convertToOpenAIRequest(remote, 'm', false, local));
    expect(error).toMatchObject({ code: 'unsupported_parameter', param: 'messages' });
    expect(error.message).toContain('image URLs');
    expect(convertToOpenAIRequest(remote, 'm', false, openai)).toMatchObject({
      messages: remote.messages,
    });
    const inline = chat({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    expect(convertToOpenAIRequest(inline, 'm', false, local)).toMatchObject({
      messages: inline.messages,
    });
  });
});
