import { describe, expect, it } from 'vitest';
import { typedEventJson } from './sse-json.ts';

describe('typedEventJson', () => {
  it('writes what JSON.stringify of the merged object would, members in the same order', () => {
    const fields = { item_id: 'msg_1', output_index: 0, delta: 'a "quoted"\nline', logprobs: [] };
    expect(typedEventJson('response.output_text.delta', fields, 7)).toBe(
      JSON.stringify({ type: 'response.output_text.delta', ...fields, sequence_number: 7 }),
    );
    expect(typedEventJson('ping', {})).toBe('{"type":"ping"}');
    expect(typedEventJson('done', {}, 3)).toBe('{"type":"done","sequence_number":3}');
    expect(typedEventJson('message_stop', { usage: undefined })).toBe('{"type":"message_stop"}');
  });

  it('lets a field named type win over ours, and our sequence number over a field', () => {
    expect(typedEventJson('outer', { type: 'inner', n: 1, sequence_number: 9 }, 2)).toBe(
      '{"type":"inner","n":1,"sequence_number":2}',
    );
  });
});
