import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../spec/chat-request.ts';
import { cacheKeyFor, canonicalJson } from './cache-key.ts';

const base: ChatRequest = {
  model: 'chat',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is 2 + 2?' },
  ],
  temperature: 0,
  tools: [
    {
      type: 'function',
      function: {
        name: 'add',
        parameters: {
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
        },
      },
    },
  ],
};

describe('cacheKeyFor', () => {
  it('is a SHA-256 hex digest that ignores object key order at every depth', () => {
    const reordered: ChatRequest = {
      tools: [
        {
          function: {
            parameters: {
              properties: { b: { type: 'number' }, a: { type: 'number' } },
              type: 'object',
            },
            name: 'add',
          },
          type: 'function',
        },
      ],
      temperature: 0,
      messages: [
        { content: 'Be brief.', role: 'system' },
        { content: 'What is 2 + 2?', role: 'user' },
      ],
      model: 'chat',
    };
    expect(cacheKeyFor('chat', base)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKeyFor('chat', reordered)).toBe(cacheKeyFor('chat', base));
  });

  it('ignores delivery and attribution fields and top-level nulls', () => {
    const key = cacheKeyFor('chat', base);
    expect(
      cacheKeyFor('chat', {
        ...base,
        stream: true,
        stream_options: { include_usage: true },
        user: 'u1',
        metadata: { a: 'b' },
      }),
    ).toBe(key);
    expect(cacheKeyFor('chat', { ...base, top_p: null, seed: undefined })).toBe(key);
  });

  it('changes when anything that changes the answer changes', () => {
    const key = cacheKeyFor('chat', base);
    const variants: ChatRequest[] = [
      { ...base, model: 'other' },
      { ...base, messages: [...base.messages, { role: 'user', content: 'and 3 + 3?' }] },
      { ...base, messages: [{ role: 'user', content: 'What is 2 + 2?' }] },
      { ...base, temperature: 0.7 },
      { ...base, top_p: 0.9 },
      { ...base, max_tokens: 10 },
      { ...base, max_completion_tokens: 10 },
      { ...base, stop: ['\n'] },
      { ...base, seed: 1 },
      { ...base, n: 2 },
      { ...base, tool_choice: 'required' },
      { ...base, tools: [] },
      { ...base, response_format: { type: 'json_object' } },
      { ...base, presence_penalty: 1 },
      { ...base, reasoning_effort: 'high' },
    ];
    const keys = variants.map((variant) => cacheKeyFor('chat', variant));
    expect(keys).not.toContain(key);
    expect(new Set(keys).size).toBe(variants.length);
    expect(cacheKeyFor('other-route', base)).not.toBe(key);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: undefined, c: null }], e: undefined })).toBe(
      '{"a":[3,{"c":null}],"b":1}',
    );
  });
});
