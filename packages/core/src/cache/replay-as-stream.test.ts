import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../spec/chat-response.ts';
import { makeUsage } from '../spec/chat-response.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { replayAsStream, splitForReplay } from './replay-as-stream.ts';

const text = 'The quick brown fox jumps over the lazy dog, twice over.';

const cached: ChatResponse = {
  id: 'chatcmpl-1',
  created: 1_700_000_000,
  model: 'gpt-4o',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: text,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'lookup', arguments: '{"city":"Zürich 🌍"}' },
          },
        ],
      },
      finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
    },
  ],
  usage: makeUsage(20, 12),
};

describe('replayAsStream', () => {
  it('reproduces the response as start, text pieces, tool-call deltas, finish and usage', () => {
    const events = replayAsStream(cached);
    expect(events[0]).toEqual({
      type: 'start',
      id: 'chatcmpl-1',
      model: 'gpt-4o',
      created: 1_700_000_000,
    });
    const deltas = events.filter(
      (event): event is Extract<StreamEvent, { type: 'text-delta' }> => event.type === 'text-delta',
    );
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThanOrEqual(4);
    expect(deltas.map((event) => event.text).join('')).toBe(text);

    const calls = events.filter(
      (event): event is Extract<StreamEvent, { type: 'tool-call-delta' }> =>
        event.type === 'tool-call-delta',
    );
    expect(calls[0]).toMatchObject({ toolCallIndex: 0, id: 'call_1', name: 'lookup' });
    expect(
      calls.slice(1).every((event) => event.id === undefined && event.name === undefined),
    ).toBe(true);
    expect(calls.map((event) => event.argumentsDelta).join('')).toBe('{"city":"Zürich 🌍"}');

    expect(events.at(-2)).toEqual({
      type: 'finish',
      choiceIndex: 0,
      reason: { unified: 'tool_calls', raw: 'tool_calls' },
    });
    expect(events.at(-1)).toEqual({ type: 'usage', usage: makeUsage(20, 12) });
  });

  it('emits no text delta for empty content and no usage when unknown', () => {
    const events = replayAsStream({
      id: 'x',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null },
          finishReason: { unified: 'stop', raw: null },
        },
      ],
    });
    expect(events.map((event) => event.type)).toEqual(['start', 'finish']);
  });
});

describe('splitForReplay', () => {
  it('splits at word boundaries without losing whitespace', () => {
    expect(splitForReplay('  a b\nc d e ', 2)).toEqual(['  a b\n', 'c d e ']);
    expect(splitForReplay('one', 4)).toEqual(['one']);
    expect(splitForReplay('', 4)).toEqual([]);
  });
});
