import type { ChatMessage } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { convertToTurns, type TurnBlocks } from './convert-to-turns.ts';

const source = { provider: 'p1', vendor: 'Vendor' };

/** Blocks written as short strings, so the walk itself is what the tests see. */
const blocks: TurnBlocks<string> = {
  text: (text) => `text:${text}`,
  image: (url) => `image:${url}`,
  file: (_part, at) => `file@${at}`,
  toolUse: (call, input) => `use:${call.id}:${JSON.stringify(input)}`,
  toolResult: (id, text) => `result:${id}:${text}`,
};

const toolCall = (id: string, args: string) => ({
  id,
  type: 'function' as const,
  function: { name: 'lookup', arguments: args },
});

describe('convertToTurns', () => {
  it('moves system text out and merges consecutive turns of one role', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:x' } }] },
      { role: 'developer', content: 'and kind' },
      { role: 'assistant', content: 'hello' },
    ];
    expect(convertToTurns(messages, source, blocks)).toEqual({
      system: ['be brief', 'and kind'],
      messages: [
        { role: 'user', content: ['text:hi', 'image:data:x'] },
        { role: 'assistant', content: ['text:hello'] },
      ],
      hasToolHistory: false,
    });
  });

  it('turns tool calls and results into blocks and notes the tool history', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [toolCall('c1', '{"city":"Oslo"}'), toolCall('c2', '')],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'rain' },
      { role: 'tool', tool_call_id: 'c2', content: 'sun' },
    ];
    const turns = convertToTurns(messages, source, blocks);
    expect(turns.hasToolHistory).toBe(true);
    expect(turns.messages).toEqual([
      { role: 'user', content: ['text:weather?'] },
      { role: 'assistant', content: ['use:c1:{"city":"Oslo"}', 'use:c2:{}'] },
      { role: 'user', content: ['result:c1:rain', 'result:c2:sun'] },
    ]);
  });

  it('refuses what neither API can take, naming where it is', () => {
    const refused = (message: ChatMessage) => {
      try {
        convertToTurns([message], source, blocks);
      } catch (error) {
        return error;
      }
      throw new Error('expected a refusal');
    };
    expect(refused({ role: 'function', name: 'f', content: 'x' })).toMatchObject({
      code: 'unsupported_parameter',
      param: 'messages[0].role',
    });
    expect(
      refused({
        role: 'user',
        content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }],
      }),
    ).toMatchObject({ code: 'unsupported_parameter', param: 'messages[0].content[0].input_audio' });
    expect(
      refused({ role: 'assistant', content: null, tool_calls: [toolCall('c1', '[1]')] }),
    ).toMatchObject({
      code: 'invalid_request',
      param: 'messages[0].tool_calls[0].function.arguments',
    });
  });
});
