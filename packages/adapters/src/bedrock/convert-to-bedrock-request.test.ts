import { UpstreamError, type ChatRequest } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { convertToBedrockRequest } from './convert-to-bedrock-request.ts';

function build(request: Partial<ChatRequest>) {
  return convertToBedrockRequest(
    { messages: [{ role: 'user', content: 'hi' }], ...request },
    'model',
    false,
    { provider: 'bedrock' },
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

const tools: ChatRequest['tools'] = [
  { type: 'function', function: { name: 'f', parameters: { type: 'object' } } },
];

describe('convertToBedrockRequest', () => {
  it('moves system messages to system blocks and merges same-role turns', () => {
    const body = build({
      messages: [
        { role: 'developer', content: 'Rule.' },
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
        { role: 'assistant', content: 'c' },
      ],
    });
    expect(body.system).toEqual([{ text: 'Rule.' }]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'a' }, { text: 'b' }] },
      { role: 'assistant', content: [{ text: 'c' }] },
    ]);
    expect(body.inferenceConfig).toBeUndefined();
    expect(body.toolConfig).toBeUndefined();
  });

  it('sends data: URL images as bytes with the format from the mime type', () => {
    const body = build({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'text', text: 'what is this' },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
      { text: 'what is this' },
    ]);
  });

  it('refuses images Converse cannot take', () => {
    const image = (url: string): Partial<ChatRequest> => ({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
    });
    expect(refusal(image('https://example.com/a.png'))).toMatchObject({
      code: 'unsupported_parameter',
      param: 'messages[0].content[0].image_url.url',
    });
    expect(refusal(image('data:image/tiff;base64,SUkq'))).toMatchObject({
      code: 'unsupported_parameter',
    });
    expect(refusal(image('data:image/png,rawbytes'))).toMatchObject({
      kind: 'bad_request',
      code: 'invalid_request',
    });
  });

  it('maps tool_choice forms onto toolConfig', () => {
    expect(build({ tools }).toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } } } }],
    });
    expect(build({ tools, tool_choice: 'auto' }).toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(build({ tools, tool_choice: 'required' }).toolConfig?.toolChoice).toEqual({ any: {} });
    expect(
      build({ tools, tool_choice: { type: 'function', function: { name: 'f' } } }).toolConfig
        ?.toolChoice,
    ).toEqual({ tool: { name: 'f' } });
    expect(build({ tools, tool_choice: 'none' }).toolConfig).toBeUndefined();
  });

  it('refuses tool_choice none when the history holds tool calls, and parallel_tool_calls false', () => {
    const history: ChatRequest['messages'] = [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'a', content: 'done' },
    ];
    expect(refusal({ tools, tool_choice: 'none', messages: history })).toMatchObject({
      code: 'unsupported_parameter',
      param: 'tool_choice',
    });
    expect(refusal({ tools, parallel_tool_calls: false })).toMatchObject({
      code: 'unsupported_parameter',
      param: 'parallel_tool_calls',
    });
  });

  it('maps a JSON schema response format to outputConfig with the schema as a string', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      build({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } })
        .outputConfig,
    ).toEqual({
      textFormat: {
        type: 'json_schema',
        structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'answer' } },
      },
    });
  });

  it.each<[string, Partial<ChatRequest>]>([
    ['n', { n: 3 }],
    ['logprobs', { logprobs: true }],
    ['logit_bias', { logit_bias: { '1': 1 } }],
    ['presence_penalty', { presence_penalty: 1 }],
    ['frequency_penalty', { frequency_penalty: 1 }],
    ['temperature', { temperature: 1.2 }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
  ])('refuses %s before sending', (param, request) => {
    expect(refusal(request)).toMatchObject({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      param,
      retryable: false,
      provider: 'bedrock',
    });
  });

  it('refuses malformed tool-call arguments, naming the field', () => {
    const error = refusal({
      messages: [
        {
          role: 'assistant',
          tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1,2]' } }],
        },
      ],
    });
    expect(error).toMatchObject({
      kind: 'bad_request',
      code: 'invalid_request',
      param: 'messages[0].tool_calls[0].function.arguments',
    });
  });

  it('puts a Claude thinking budget in additionalModelRequestFields', () => {
    const body = convertToBedrockRequest(
      { messages: [{ role: 'user', content: 'hi' }], reasoning_effort: 'low' },
      'us.anthropic.claude-sonnet-4-5-v1:0',
      false,
      { provider: 'bedrock' },
    );
    expect(body.additionalModelRequestFields).toEqual({
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(body.inferenceConfig?.maxTokens).toBe(1024 + 4096);
  });

  it('refuses an effort for a model without a thinking budget, naming the field', () => {
    expect(refusal({ reasoning_effort: 'high' })).toMatchObject({
      status: 400,
      param: 'reasoning_effort',
    });
  });

  it('sends back Claude-signed reasoning as reasoningContent first in the turn, and nothing else', () => {
    const body = convertToBedrockRequest(
      {
        reasoning_effort: 'low',
        tools,
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: null,
            reasoning: [
              { text: 'Use f.', signature: 'sig_br', origin: 'anthropic' },
              { text: '', encrypted: 'cmVkYWN0ZWQ=', origin: 'anthropic' },
              { text: 'Unsigned.' },
              { text: 'Other.', signature: 'x', origin: 'gemini' },
            ],
            tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 't1', content: 'done' },
        ],
      },
      'us.anthropic.claude-sonnet-4-5-v1:0',
      false,
      { provider: 'bedrock' },
    );
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: 'Use f.', signature: 'sig_br' } } },
        { reasoningContent: { redactedContent: 'cmVkYWN0ZWQ=' } },
        { toolUse: { toolUseId: 't1', name: 'f', input: {} } },
      ],
    });
    // the continued turn carries its signed reasoning, so thinking stays on
    expect(body.additionalModelRequestFields).toEqual({
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
  });

  it('leaves Claude-signed reasoning out for a model that is not Claude', () => {
    const body = build({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: 'Hello.',
          reasoning: [{ text: 'Greet.', signature: 'sig_br', origin: 'anthropic' }],
        },
        { role: 'user', content: 'again' },
      ],
    });
    expect(body.messages[1]).toEqual({ role: 'assistant', content: [{ text: 'Hello.' }] });
  });
});
