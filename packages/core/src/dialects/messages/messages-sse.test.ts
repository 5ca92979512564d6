import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../spec/errors.ts';
import type { StreamEvent } from '../../spec/stream-events.ts';
import { MessagesSseEncoder } from './messages-sse.ts';

function encode(events: StreamEvent[]): { text: string; ended: boolean } {
  const encoder = new MessagesSseEncoder({ requestId: 'req1', model: 'route' });
  let text = events.map((event) => encoder.encode(event)).join('');
  if (!encoder.ended) text += encoder.finish();
  return { text, ended: encoder.ended };
}

function eventsOf(text: string): Array<Record<string, unknown>> {
  return [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)].map((match) => {
    const data = JSON.parse(match[2] ?? '{}') as Record<string, unknown>;
    expect(data.type).toBe(match[1]);
    return data;
  });
}

describe('MessagesSseEncoder', () => {
  it('writes text, then a tool call, as blocks in order with the stop reason and usage', () => {
    const { text } = encode([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt', created: 1 },
      { type: 'text-delta', choiceIndex: 0, text: 'Hi' },
      {
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex: 0,
        id: 'c1',
        name: 'f',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex: 0, argumentsDelta: '{"a":1}' },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'tool_calls', raw: 'tool_calls' } },
      {
        type: 'usage',
        usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14, cachedInputTokens: 6 },
      },
    ]);
    const events = eventsOf(text);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      message: { id: 'msg_chatcmpl-1', model: 'gpt', role: 'assistant' },
    });
    expect(events[5]).toMatchObject({
      index: 1,
      content_block: { type: 'tool_use', id: 'c1', name: 'f', input: {} },
    });
    expect(events[6]).toMatchObject({
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"a":1}' },
    });
    expect(events[8]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 4, output_tokens: 4, cache_read_input_tokens: 6 },
    });
  });

  it('ends a failed stream with an error event and nothing after it', () => {
    const { text, ended } = encode([
      { type: 'text-delta', choiceIndex: 0, text: 'partial' },
      {
        type: 'error',
        error: new UpstreamError({ kind: 'overloaded', message: 'busy', provider: 'p' }),
      },
    ]);
    expect(ended).toBe(true);
    expect(text).not.toContain('message_stop');
    expect(text.trimEnd().split('\n\n').at(-1)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}',
    );
  });

  it('writes native frames as they came and adds nothing at the end', () => {
    const frame = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const { text } = encode([{ type: 'native', dialect: 'messages', frame, hasOutput: false }]);
    expect(text).toBe(frame);
  });

  it('estimates output tokens when the vendor reported no usage', () => {
    const { text } = encode([{ type: 'text-delta', choiceIndex: 0, text: 'twelve chars' }]);
    expect(eventsOf(text).at(-2)).toMatchObject({ usage: { output_tokens: 3 } });
  });
});
