import { Readable } from 'node:stream';
import type { StreamEvent } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/index.ts';
import { convertToGeminiMessages } from './convert-to-gemini-messages.ts';
import { readGeminiStream } from './gemini-stream.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';

const signedAnswer = {
  candidates: [
    {
      index: 0,
      content: {
        role: 'model',
        parts: [
          { text: 'Pondering.', thought: true },
          { text: 'Answer.', thoughtSignature: 'c2lnLXRleHQ=' },
        ],
      },
      finishReason: 'STOP',
    },
  ],
  responseId: 'r1',
};

describe('Gemini thought signatures on text', () => {
  it('sign the answer’s reasoning, named with Gemini’s family', () => {
    const response = mapGeminiResponse(signedAnswer, 'gemini-3-pro', { provider: 'google' });
    expect(response.choices[0]?.message).toMatchObject({
      content: 'Answer.',
      reasoning: [{ text: 'Pondering.', signature: 'c2lnLXRleHQ=', origin: 'gemini' }],
    });
  });

  it('close the streamed reasoning before the text they came with', async () => {
    const body = Readable.from([`data: ${JSON.stringify(signedAnswer)}\r\n\r\n`]);
    const response = { status: 200, headers: {}, body: body as unknown as HttpResponse['body'] };
    const events: StreamEvent[] = [];
    const request = {
      signal: new AbortController().signal,
      deadline: Date.now() + 5_000,
      provider: 'google',
      url: 'http://gemini.test',
      model: 'gemini-3-pro',
    };
    for await (const event of readGeminiStream(response, request)) events.push(event);
    expect(events.filter((event) => event.type !== 'start' && event.type !== 'usage')).toEqual([
      { type: 'reasoning-delta', choiceIndex: 0, text: 'Pondering.' },
      {
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: '',
        signature: 'c2lnLXRleHQ=',
        origin: 'gemini',
      },
      { type: 'text-delta', choiceIndex: 0, text: 'Answer.' },
      { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'STOP' } },
    ]);
  });

  it('go back on the model turn’s text; other families’ signatures and thought text do not', () => {
    const prompt = convertToGeminiMessages(
      [
        { role: 'user', content: 'q1' },
        {
          role: 'assistant',
          content: 'Answer.',
          reasoning: [{ text: 'Pondering.', signature: 'c2lnLXRleHQ=', origin: 'gemini' }],
        },
        { role: 'user', content: 'q2' },
        {
          role: 'assistant',
          content: 'Other.',
          reasoning: [{ text: 'Claude thought.', signature: 'sig_claude', origin: 'anthropic' }],
        },
        { role: 'user', content: 'q3' },
      ],
      'google',
    );
    expect(prompt.contents).toEqual([
      { role: 'user', parts: [{ text: 'q1' }] },
      { role: 'model', parts: [{ text: 'Answer.', thoughtSignature: 'c2lnLXRleHQ=' }] },
      { role: 'user', parts: [{ text: 'q2' }] },
      { role: 'model', parts: [{ text: 'Other.' }] },
      { role: 'user', parts: [{ text: 'q3' }] },
    ]);
  });
});
