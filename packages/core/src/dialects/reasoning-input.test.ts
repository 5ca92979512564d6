// Reasoning a client sends back: the seal that says which family made a signature, Responses
// reasoning items on the assistant turn they precede, and the stored Response that keeps the
// sealed content for `previous_response_id` while the client sees it only when it asked.
import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../spec/chat-response.ts';
import { parseChatRequest } from '../spec/validation.ts';
import { openReasoning, sealReasoning } from './reasoning-seal.ts';
import { parseResponsesRequest } from './openai-responses/responses-request.ts';
import { ResponsesSseEncoder } from './openai-responses/responses-sse.ts';
import { inputAsItems, toChatBody } from './openai-responses/to-chat-request.ts';
import {
  forClient,
  storedResponseObject,
  toResponseObject,
} from './openai-responses/to-response.ts';

describe('sealed reasoning', () => {
  it('round-trips a signature or withheld reasoning with its family', () => {
    const signed = sealReasoning({ text: 't', signature: 'abc:def==', origin: 'gemini' });
    expect(signed).toBe('swy1:gemini:s:abc:def==');
    expect(openReasoning(signed!)).toEqual({ signature: 'abc:def==', origin: 'gemini' });
    const withheld = sealReasoning({ text: '', encrypted: 'opaque', origin: 'anthropic' });
    expect(openReasoning(withheld!)).toEqual({ encrypted: 'opaque', origin: 'anthropic' });
  });

  it('keeps no family it was not given, and seals nothing without a signature', () => {
    expect(openReasoning(sealReasoning({ text: '', signature: 'x' })!)).toEqual({
      signature: 'x',
    });
    expect(sealReasoning({ text: 'only text' })).toBeUndefined();
  });

  it('opens only what the gateway sealed', () => {
    expect(openReasoning('gAAAAABopaque-vendor-content')).toBeUndefined();
    expect(openReasoning('swy1:anthropic:s:')).toBeUndefined();
    expect(openReasoning('swy1:anthropic:x:value')).toBeUndefined();
    expect(openReasoning('swy1:anthropic')).toBeUndefined();
  });
});

function chatOf(body: unknown) {
  const request = parseResponsesRequest(body);
  return parseChatRequest(toChatBody(request, inputAsItems(request.input)));
}

describe('Responses reasoning items sent back', () => {
  it('become the reasoning of the assistant turn they precede, opened from their seal', () => {
    const chat = chatOf({
      input: [
        { role: 'user', content: 'go' },
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'Let me look.' }],
          encrypted_content: 'swy1:anthropic:s:sig-1',
        },
        { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'swy1:anthropic:e:wh' },
        { type: 'function_call', call_id: 'call_1', name: 'find', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'found' },
        {
          type: 'reasoning',
          id: 'rs_3',
          summary: [{ type: 'summary_text', text: 'Now answer.' }],
          encrypted_content: 'swy1:anthropic:s:sig-2',
        },
        { type: 'message', role: 'assistant', content: 'Done.' },
        { type: 'function_call', call_id: 'call_2', name: 'find', arguments: '{}' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'find', arguments: '{}' } },
        ],
        reasoning: [
          { text: 'Let me look.', signature: 'sig-1', origin: 'anthropic' },
          { text: '', encrypted: 'wh', origin: 'anthropic' },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'found' },
      {
        role: 'assistant',
        content: 'Done.',
        tool_calls: [
          { id: 'call_2', type: 'function', function: { name: 'find', arguments: '{}' } },
        ],
        reasoning: [{ text: 'Now answer.', signature: 'sig-2', origin: 'anthropic' }],
      },
    ]);
  });

  it('keep only the summary of a vendor’s own encrypted content, and drop what carries nothing', () => {
    const chat = chatOf({
      input: [
        { role: 'user', content: 'go' },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'Thought.' }],
          encrypted_content: 'gAAAAB-openai-own',
        },
        { type: 'reasoning', summary: [], encrypted_content: 'gAAAAB-openai-own' },
        { type: 'message', role: 'assistant', content: 'Hi.' },
        // reasoning with no assistant turn after it belongs to nothing
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'x' }] },
        { role: 'user', content: 'again' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Hi.', reasoning: [{ text: 'Thought.' }] },
      { role: 'user', content: 'again' },
    ]);
  });
});

describe('the stored Response and the client’s', () => {
  const answer: ChatResponse = {
    id: 'a',
    created: 1,
    model: 'm',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Yes.',
          reasoning: [{ text: 'Hm.', signature: 'sig-1', origin: 'anthropic' }],
        },
        finishReason: { unified: 'stop', raw: 'end_turn' },
      },
    ],
  };
  const shell = {
    id: 'resp_1',
    createdAt: 1,
    model: 'm',
    request: parseResponsesRequest({ input: 'x' }),
  };

  it('keeps the sealed content in the stored items, shown only when included', () => {
    const stored = storedResponseObject(answer, shell);
    const [reasoning] = stored.output as Array<Record<string, unknown>>;
    expect(reasoning?.encrypted_content).toBe('swy1:anthropic:s:sig-1');
    const shown = (forClient(stored, false).output as Array<Record<string, unknown>>)[0];
    expect(shown).not.toHaveProperty('encrypted_content');
    expect(shown).toMatchObject({ type: 'reasoning', summary: [{ text: 'Hm.' }] });
    const sent = toResponseObject(answer, shell).output as Array<Record<string, unknown>>;
    expect(sent[0]).not.toHaveProperty('encrypted_content');
    expect(sent.map((item) => item.type)).toEqual(['reasoning', 'message']);
  });

  it('stores a streamed answer whole while the frames leave the content out', () => {
    let saved: Record<string, unknown> | undefined;
    const encoder = new ResponsesSseEncoder({
      shell: { ...shell },
      onComplete: (response) => (saved = response),
    });
    const frames =
      encoder.encode({ type: 'start', id: 'a', model: 'm', created: 1 }) +
      encoder.encode({ type: 'reasoning-delta', choiceIndex: 0, text: 'Hm.' }) +
      encoder.encode({
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: '',
        signature: 'sig-1',
        origin: 'anthropic',
      }) +
      encoder.encode({ type: 'text-delta', choiceIndex: 0, text: 'Yes.' }) +
      encoder.finish();
    expect(frames).not.toContain('sig-1');
    const [reasoning] = saved?.output as Array<Record<string, unknown>>;
    expect(reasoning?.encrypted_content).toBe('swy1:anthropic:s:sig-1');
  });
});
