import { describe, expect, it } from 'vitest';
import { makeUsage } from '../../spec/chat-response.ts';
import { UpstreamError } from '../../spec/errors.ts';
import { parseChatRequest } from '../../spec/validation.ts';
import { MemoryResponseStore, type StoredResponse } from './response-store.ts';
import { parseResponsesRequest } from './responses-request.ts';
import { ResponsesSseEncoder } from './responses-sse.ts';
import { inputAsItems, responsesParam, toChatBody } from './to-chat-request.ts';
import { toResponseObject } from './to-response.ts';

function chatOf(body: unknown) {
  const request = parseResponsesRequest(body);
  return parseChatRequest(toChatBody(request, inputAsItems(request.input)));
}

function events(
  frames: string,
): Array<{ type: string; sequence_number: number } & Record<string, unknown>> {
  return frames
    .split('\n\n')
    .filter(Boolean)
    .map(
      (frame) =>
        JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as { type: string; sequence_number: number },
    );
}

describe('Responses requests as chat requests', () => {
  it('maps instructions, messages, calls, outputs and options', () => {
    const chat = chatOf({
      model: 'route',
      instructions: 'Be brief',
      input: [
        { role: 'developer', content: 'dev note' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'hi' },
            { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: 'low' },
          ],
        },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'calling' }] },
        { type: 'function_call', call_id: 'call_1', name: 'a', arguments: '{}' },
        { type: 'function_call', call_id: 'call_2', name: 'b', arguments: '{"x":1}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'one' },
        {
          type: 'function_call_output',
          call_id: 'call_2',
          output: [{ type: 'input_text', text: 'two' }],
        },
      ],
      tools: [{ type: 'function', name: 'a', parameters: { type: 'object' }, strict: false }],
      tool_choice: { type: 'function', name: 'a' },
      parallel_tool_calls: true,
      text: {
        format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      },
      reasoning: { effort: 'low', summary: 'auto' },
      max_output_tokens: 50,
      temperature: 0.2,
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'developer', content: 'dev note' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AA', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: 'calling',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'a', arguments: '{}' } },
          { id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'one' },
      { role: 'tool', tool_call_id: 'call_2', content: 'two' },
    ]);
    expect(chat).toMatchObject({
      model: 'route',
      tools: [
        {
          type: 'function',
          function: { name: 'a', parameters: { type: 'object' }, strict: false },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'a' } },
      parallel_tool_calls: true,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
      },
      reasoning_effort: 'low',
      max_completion_tokens: 50,
      temperature: 0.2,
    });
  });

  it('takes a string input as one user message and asks for usage on streams', () => {
    const chat = chatOf({ input: 'hello', stream: true });
    expect(chat.messages).toEqual([{ role: 'user', content: 'hello' }]);
    expect(chat.stream_options).toEqual({ include_usage: true });
  });

  it('refuses bad input naming the Responses field', () => {
    expect(() => parseResponsesRequest({ model: 'm' })).toThrow(
      expect.objectContaining({ param: 'input' }),
    );
    expect(() => parseResponsesRequest({ input: [{ role: 'user', content: 1 }] })).toThrow(
      expect.objectContaining({ param: 'input[0].content' }),
    );
    expect(() => parseResponsesRequest({ input: 'x', max_output_tokens: -1 })).toThrow(
      expect.objectContaining({ param: 'max_output_tokens' }),
    );
    expect(() => parseResponsesRequest({ input: 'x', background: true })).toThrow(
      expect.objectContaining({ param: 'background' }),
    );
    expect(() =>
      chatOf({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }),
    ).toThrow(expect.objectContaining({ param: 'input[0].content[0].image_url' }));
  });

  it('names chat fields by their Responses names', () => {
    expect(responsesParam('messages[3].content')).toBe('input');
    expect(responsesParam('max_completion_tokens')).toBe('max_output_tokens');
    expect(responsesParam('response_format.json_schema')).toBe('text.format.json_schema');
    expect(responsesParam('reasoning_effort')).toBe('reasoning.effort');
    expect(responsesParam('temperature')).toBe('temperature');
    expect(responsesParam(null)).toBeNull();
  });
});

describe('chat answers as Response objects', () => {
  const shell = {
    id: 'resp_1',
    createdAt: 1,
    model: 'm',
    request: parseResponsesRequest({ input: 'x' }),
  };

  it('makes message and function_call items, keeping the call id', () => {
    const response = toResponseObject(
      {
        id: 'c',
        created: 1,
        model: 'vendor-model',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'text',
              tool_calls: [
                { id: 'toolu_9', type: 'function', function: { name: 'f', arguments: '{}' } },
              ],
            },
            finishReason: { unified: 'tool_calls', raw: 'tool_use' },
          },
        ],
        usage: makeUsage(3, 4, { cachedInputTokens: 1 }),
      },
      shell,
    );
    expect(response.status).toBe('completed');
    expect(response.output).toMatchObject([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'text' }] },
      { type: 'function_call', call_id: 'toolu_9', name: 'f', arguments: '{}' },
    ]);
    expect(response.usage).toMatchObject({
      input_tokens: 3,
      output_tokens: 4,
      total_tokens: 7,
      input_tokens_details: { cached_tokens: 1 },
    });
  });

  it('is incomplete when the answer hit the token limit', () => {
    const response = toResponseObject(
      {
        id: 'c',
        created: 1,
        model: 'm',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'cut' },
            finishReason: { unified: 'length', raw: 'max_tokens' },
          },
        ],
      },
      shell,
    );
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });
});

describe('ResponsesSseEncoder', () => {
  const shell = () => ({
    id: 'resp_1',
    createdAt: 1,
    model: 'm',
    request: parseResponsesRequest({ input: 'x' }),
  });

  it('opens, fills and closes items in order, numbering every event', () => {
    const completed: unknown[] = [];
    const encoder = new ResponsesSseEncoder({
      shell: shell(),
      onComplete: (response) => completed.push(response),
    });
    const frames = [
      encoder.encode({ type: 'start', id: 'c', model: 'm', created: 1 }),
      encoder.encode({ type: 'text-delta', choiceIndex: 0, text: 'Hel' }),
      encoder.encode({ type: 'text-delta', choiceIndex: 0, text: 'lo' }),
      encoder.encode({
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 0,
        id: 'call_x',
        name: 'f',
        argumentsDelta: '{"a"',
      }),
      encoder.encode({
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 0,
        argumentsDelta: ':1}',
      }),
      encoder.encode({ type: 'usage', usage: makeUsage(1, 2) }),
      encoder.encode({
        type: 'finish',
        choiceIndex: 0,
        reason: { unified: 'tool_calls', raw: 'tool_calls' },
      }),
      encoder.finish(),
    ].join('');
    const list = events(frames);
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list.map((event) => event.sequence_number)).toEqual(list.map((_, index) => index));
    expect(list[12]).toMatchObject({ arguments: '{"a":1}', name: 'f' });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ status: 'completed', usage: { output_tokens: 2 } });
  });

  it('ends with response.failed after an error and writes nothing more', () => {
    const encoder = new ResponsesSseEncoder({ shell: shell() });
    const frames =
      encoder.encode({ type: 'text-delta', choiceIndex: 0, text: 'partial' }) +
      encoder.encode({
        type: 'error',
        error: new UpstreamError({ kind: 'connection', message: 'cut' }),
      });
    expect(encoder.ended).toBe(true);
    expect(encoder.finish()).toBe('');
    const list = events(frames);
    expect(list.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error', message: 'cut' } },
    });
    expect(list.some((event) => event.type === 'response.completed')).toBe(false);
  });

  it('writes native frames as they came and numbers a later failure after them', () => {
    const encoder = new ResponsesSseEncoder({ shell: shell() });
    const frame =
      'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_vendor","model":"gpt"}}\n\n';
    expect(
      encoder.encode({ type: 'native', dialect: 'openai-responses', frame, hasOutput: false }),
    ).toBe(frame);
    const failure = events(
      encoder.encode({
        type: 'error',
        error: new UpstreamError({ kind: 'server', message: 'boom' }),
      }),
    );
    expect(failure[0]).toMatchObject({
      type: 'response.failed',
      sequence_number: 1,
      response: { id: 'resp_vendor', model: 'gpt' },
    });
  });
});

describe('MemoryResponseStore', () => {
  const record = (id: string, createdAt = 0): StoredResponse => ({
    id,
    keyId: null,
    createdAt,
    response: { id },
    inputItems: [],
    history: [],
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const store = new MemoryResponseStore({ maxEntries: 2, clock: { now: () => 0 } });
    await store.put(record('a'));
    await store.put(record('b'));
    await store.put(record('c'));
    expect(await store.get('a')).toBeUndefined();
    expect((await store.get('c'))?.id).toBe('c');
    expect(store.size).toBe(2);
  });

  it('expires records after the TTL and deletes on request', async () => {
    let now = 0;
    const store = new MemoryResponseStore({ ttlMs: 100, clock: { now: () => now } });
    await store.put(record('a', 0));
    await store.put(record('b', 0));
    now = 50;
    expect(await store.delete('b')).toBe(true);
    expect(await store.delete('b')).toBe(false);
    expect((await store.get('a'))?.id).toBe('a');
    now = 101;
    expect(await store.get('a')).toBeUndefined();
  });
});
