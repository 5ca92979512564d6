import { describe, expect, it } from 'vitest';
import {
  COHERE_TOKENIZE_MAX_PIECES,
  COHERE_TOKENIZE_MAX_TEXT,
  cohereTokenizeText,
  readTokenCount,
  tokenizePieces,
} from './cohere-tokenize.ts';

describe('Cohere tokenize input', () => {
  it('reads the text of messages, tool calls and tool definitions', () => {
    const text = cohereTokenizeText({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'c1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
    });
    expect(text.split('\n')).toEqual([
      'Be brief.',
      'Weather?',
      'weather {"city":"Oslo"}',
      'sunny',
      '{"name":"weather","parameters":{"type":"object"}}',
    ]);
  });

  it('splits text into pieces within the endpoint limit, and gives up past a bound', () => {
    expect(tokenizePieces('')).toEqual([]);
    const pieces = tokenizePieces('x'.repeat(COHERE_TOKENIZE_MAX_TEXT * 2 + 1));
    expect(pieces?.map((piece) => piece.length)).toEqual([
      COHERE_TOKENIZE_MAX_TEXT,
      COHERE_TOKENIZE_MAX_TEXT,
      1,
    ]);
    const tooLong = 'x'.repeat(COHERE_TOKENIZE_MAX_TEXT * COHERE_TOKENIZE_MAX_PIECES + 1);
    expect(tokenizePieces(tooLong)).toBeUndefined();
  });

  it('counts tokens, and calls an answer without them a protocol error', () => {
    expect(readTokenCount({ tokens: [1, 2, 3], token_strings: ['a', 'b', 'c'] }, 'co')).toBe(3);
    expect(() => readTokenCount({ message: 'nope' }, 'co')).toThrow(/without tokens/);
  });
});
