// Unified reasoning in each dialect's output: Messages thinking blocks with their signatures and
// redacted thinking, Responses reasoning items (encrypted content only when included), and chat's
// reasoning_content.
import { describe, expect, it } from 'vitest';
import { toOpenAIChatCompletion, type ChatResponse } from '../spec/chat-response.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { OpenAISseEncoder } from '../http/openai-sse.ts';
import { replayAsStream } from '../cache/replay-as-stream.ts';
import { StreamCollector } from '../cache/stream-collector.ts';
import { chatToMessage } from './messages/chat-to-message.ts';
import { MessagesSseEncoder } from './messages/messages-sse.ts';
import { parseResponsesRequest } from './openai-responses/responses-request.ts';
import { ResponsesSseEncoder } from './openai-responses/responses-sse.ts';
import { toResponseObject } from './openai-responses/to-response.ts';

const answer: ChatResponse = {
  id: 'msg_1',
  created: 1,
  model: 'm',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Yes.',
        reasoning: [
          { text: 'Let me think.', signature: 'sig-1', origin: 'anthropic' },
          { text: '', encrypted: 'opaque', origin: 'anthropic' },
        ],
      },
      finishReason: { unified: 'stop', raw: 'end_turn' },
    },
  ],
};

/** Two signed thinking parts (the second of another family), a redacted one, then text. */
const streamed: StreamEvent[] = [
  { type: 'start', id: 'msg_1', model: 'm', created: 1 },
  { type: 'reasoning-delta', choiceIndex: 0, text: 'First ' },
  { type: 'reasoning-delta', choiceIndex: 0, text: 'thought.' },
  { type: 'reasoning-delta', choiceIndex: 0, text: '', signature: 'sig-a', origin: 'anthropic' },
  { type: 'reasoning-delta', choiceIndex: 0, text: 'Second.' },
  { type: 'reasoning-delta', choiceIndex: 0, text: '', signature: 'sig-b', origin: 'other' },
  { type: 'reasoning-delta', choiceIndex: 0, text: '', encrypted: 'opaque', origin: 'anthropic' },
  { type: 'text-delta', choiceIndex: 0, text: 'Yes.' },
  { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'end_turn' } },
];

function dataOf(text: string): Array<Record<string, unknown>> {
  return [...text.matchAll(/^data: (.*)$/gm)].flatMap((match) =>
    match[1] === '[DONE]' ? [] : [JSON.parse(match[1] ?? '{}') as Record<string, unknown>],
  );
}

describe('reasoning in the Messages dialect', () => {
  it('puts thinking and redacted_thinking blocks before the text', () => {
    expect(chatToMessage(answer, 'route', 'req').content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Yes.' },
    ]);
  });

  it("streams one thinking block per signed part, with its signature_delta (sealed when not the API's own)", () => {
    const encoder = new MessagesSseEncoder({ requestId: 'req', model: 'route' });
    const frames = dataOf(
      streamed.map((event) => encoder.encode(event)).join('') + encoder.finish(),
    );
    const blocks = frames.filter((frame) => frame.type === 'content_block_start');
    expect(blocks.map((frame) => frame.content_block)).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: '' },
    ]);
    const deltas = frames.filter((frame) => frame.type === 'content_block_delta');
    expect(deltas.map((frame) => [frame.index, frame.delta])).toEqual([
      [0, { type: 'thinking_delta', thinking: 'First ' }],
      [0, { type: 'thinking_delta', thinking: 'thought.' }],
      [0, { type: 'signature_delta', signature: 'sig-a' }],
      [1, { type: 'thinking_delta', thinking: 'Second.' }],
      [1, { type: 'signature_delta', signature: 'swy1:other:s:sig-b' }],
      [3, { type: 'text_delta', text: 'Yes.' }],
    ]);
    const stops = frames.filter((frame) => frame.type === 'content_block_stop');
    expect(stops.map((frame) => frame.index)).toEqual([0, 1, 2, 3]);
    expect(frames.at(-1)?.type).toBe('message_stop');
  });
});

describe('reasoning in the Responses dialect', () => {
  const shell = (include?: string[]) => ({
    id: 'resp_1',
    createdAt: 1,
    model: 'm',
    request: parseResponsesRequest({ input: 'x', ...(include ? { include } : {}) }),
  });

  it('makes reasoning items, with sealed encrypted_content only when included', () => {
    const plain = toResponseObject(answer, shell());
    expect(plain.output).toMatchObject([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] },
      { type: 'reasoning', summary: [] },
      { type: 'message' },
    ]);
    expect(plain.output).not.toContainEqual(
      expect.objectContaining({ encrypted_content: expect.anything() as unknown }),
    );
    const included = toResponseObject(answer, shell(['reasoning.encrypted_content']));
    expect(
      (included.output as Array<Record<string, unknown>>).map((item) => item.encrypted_content),
    ).toEqual(['swy1:anthropic:s:sig-1', 'swy1:anthropic:e:opaque', undefined]);
  });

  it('streams a reasoning item per part, numbered, the summary done before the item', () => {
    const encoder = new ResponsesSseEncoder({ shell: shell(['reasoning.encrypted_content']) });
    const frames = dataOf(
      streamed.map((event) => encoder.encode(event)).join('') + encoder.finish(),
    );
    expect(frames.map((frame) => frame.sequence_number)).toEqual(frames.map((_, index) => index));
    expect(frames.map((frame) => frame.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const done = frames.filter((frame) => frame.type === 'response.output_item.done');
    expect(done.map((frame) => (frame.item as Record<string, unknown>).encrypted_content)).toEqual([
      'swy1:anthropic:s:sig-a',
      'swy1:other:s:sig-b',
      'swy1:anthropic:e:opaque',
      undefined,
    ]);
    expect(frames[6]).toMatchObject({ text: 'First thought.', summary_index: 0, output_index: 0 });
  });
});

describe('reasoning in Chat Completions', () => {
  it('answers with reasoning_content, keeping a vendor field of its own when there is one', () => {
    expect(toOpenAIChatCompletion(answer)).toMatchObject({
      choices: [{ message: { content: 'Yes.', reasoning_content: 'Let me think.' } }],
    });
    const own = structuredClone(answer);
    own.choices[0]!.message.extra = { reasoning: 'Let me think.' };
    const message = (toOpenAIChatCompletion(own).choices as Array<{ message: object }>)[0]!.message;
    expect(message).toHaveProperty('reasoning', 'Let me think.');
    expect(message).not.toHaveProperty('reasoning_content');
  });

  it('streams reasoning_content deltas and drops signatures', () => {
    const encoder = new OpenAISseEncoder({
      includeUsage: false,
      fallbackId: 'id',
      fallbackModel: 'm',
    });
    const frames = dataOf(
      streamed.map((event) => encoder.encode(event)).join('') + encoder.finish(),
    );
    const deltas = frames.map(
      (frame) => (frame.choices as Array<{ delta: Record<string, unknown> }>)[0]?.delta,
    );
    expect(
      deltas.flatMap((delta) => (delta?.reasoning_content ? [delta.reasoning_content] : [])),
    ).toEqual(['First ', 'thought.', 'Second.']);
    expect(JSON.stringify(frames)).not.toContain('sig-a');
  });
});

describe('reasoning in the response cache', () => {
  it('collects a stream into reasoning parts and replays them as the same parts', async () => {
    const collector = new StreamCollector({ model: 'm', provider: 'p' });
    const source = (async function* () {
      for (const event of streamed) yield await Promise.resolve(event);
    })();
    for await (const event of collector.collect(source)) void event;
    const response = collector.response();
    expect(response?.choices[0]?.message.reasoning).toEqual([
      { text: 'First thought.', signature: 'sig-a', origin: 'anthropic' },
      { text: 'Second.', signature: 'sig-b', origin: 'other' },
      { text: '', encrypted: 'opaque', origin: 'anthropic' },
    ]);
    const replayed = replayAsStream(response!).filter((event) => event.type === 'reasoning-delta');
    expect(replayed).toEqual([
      {
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: 'First thought.',
        signature: 'sig-a',
        origin: 'anthropic',
      },
      {
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: 'Second.',
        signature: 'sig-b',
        origin: 'other',
      },
      {
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: '',
        encrypted: 'opaque',
        origin: 'anthropic',
      },
    ]);
  });
});
