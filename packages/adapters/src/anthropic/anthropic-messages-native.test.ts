import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../http/index.ts';
import { NativeMessagesDecoder, sseFrame } from './anthropic-messages-native.ts';

const frame = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function decode(text: string, end = false): { events: StreamEvent[]; state: string } {
  const decoder = new NativeMessagesDecoder({ provider: 'anthropic', model: 'claude' });
  const events: StreamEvent[] = [];
  for (const message of new SseParser().push(text)) decoder.decode(message, events);
  if (end && decoder.state === 'reading') decoder.end(events);
  return { events, state: decoder.state };
}

describe('NativeMessagesDecoder', () => {
  it('hands every event on as its frame, with output, usage and finish read once', () => {
    const text =
      frame('message_start', {
        message: {
          id: 'msg_1',
          model: 'claude',
          usage: { input_tokens: 3, cache_read_input_tokens: 7 },
        },
      }) +
      frame('content_block_start', {
        index: 0,
        content_block: { type: 'thinking', thinking: '' },
      }) +
      frame('content_block_delta', {
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'hm' },
      }) +
      frame('content_block_stop', { index: 0 }) +
      frame('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }) +
      frame('message_stop', {});
    const { events, state } = decode(text);
    expect(state).toBe('complete');
    expect(
      events.map((event) => (event.type === 'native' ? event.frame : event.type)).join(''),
    ).toBe(text);
    const natives = events.filter((event) => event.type === 'native');
    expect(natives.map((event) => event.hasOutput)).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(natives.at(-1)).toMatchObject({
      finish: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 7 },
    });
  });

  it('turns an error event, and a body that ends early, into error events', () => {
    const failed = decode(frame('error', { error: { type: 'overloaded_error', message: 'busy' } }));
    expect(failed.events).toEqual([
      { type: 'error', error: expect.objectContaining({ kind: 'overloaded' }) as unknown },
    ]);
    const cut = decode(frame('message_start', { message: { id: 'm' } }), true);
    expect(cut.events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });

  it('frames multi-line data as Anthropic would', () => {
    expect(sseFrame({ event: 'x', data: 'a\nb' })).toBe('event: x\ndata: a\ndata: b\n\n');
  });
});
