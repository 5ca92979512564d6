import { describe, expect, it } from 'vitest';
import { expandOpenAIChunk, parseOpenAIChunk, summarizeOpenAIChunk } from './openai-chunk.ts';

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices,
    ...extra,
  });

describe('summarizeOpenAIChunk', () => {
  it('agrees with a full parse on every kind of chunk', () => {
    const samples = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'Hel' }, finish_reason: null }]),
      chunk([
        {
          index: 0,
          delta: { content: 'He said "finish_reason":"stop" and "content":"x"' },
          finish_reason: null,
        },
      ]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 't1', type: 'function', function: { name: 'f', arguments: '' } },
            ],
          },
          finish_reason: null,
        },
      ]),
      chunk([{ index: 0, delta: { refusal: 'no' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'length' }]),
      chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }),
    ];
    for (const data of samples) {
      const fast = summarizeOpenAIChunk(data);
      const full = parseOpenAIChunk(data);
      expect(fast, data).toEqual(full);
    }
  });

  it('does not mistake escaped text for keys', () => {
    const data = chunk([
      { index: 0, delta: { content: '"finish_reason":"stop"' }, finish_reason: null },
    ]);
    expect(summarizeOpenAIChunk(data)?.finish).toBeUndefined();
    expect(summarizeOpenAIChunk(data)?.hasOutput).toBe(true);
  });

  it('returns undefined for data that is not a JSON object', () => {
    expect(summarizeOpenAIChunk('{not json')).toBeUndefined();
    expect(summarizeOpenAIChunk('garbage')).toBeUndefined();
  });

  it('expands a pass-through chunk into typed events', () => {
    const event = summarizeOpenAIChunk(
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }]),
    )!;
    expect(expandOpenAIChunk(event).map((expanded) => expanded.type)).toEqual([
      'start',
      'text-delta',
      'finish',
    ]);
  });
});
