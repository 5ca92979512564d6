import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from './errors.ts';
import { MAX_JSON_DEPTH, parseChatRequest } from './validation.ts';

const messages = [{ role: 'user', content: 'hello' }];

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
}

describe('parseChatRequest', () => {
  it('accepts a request nested within the depth limit', () => {
    const request = parseChatRequest({ messages, extra: nested(MAX_JSON_DEPTH - 2) });
    expect(request.messages).toHaveLength(1);
  });

  it('answers 400 naming the limit for input nested deeper than it', () => {
    let caught: unknown;
    try {
      parseChatRequest({ messages, extra: nested(6_000) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect(caught).toMatchObject({ status: 400, param: 'extra' });
    expect((caught as Error).message).toContain(`${MAX_JSON_DEPTH}`);
  });

  it('counts arrays as levels too', () => {
    let value: unknown = [];
    for (let level = 0; level < 100; level++) value = [value];
    expect(() => parseChatRequest({ messages, extra: value })).toThrow(InvalidRequestError);
  });
});
