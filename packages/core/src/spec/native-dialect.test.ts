import { describe, expect, it } from 'vitest';
import {
  holderFirst,
  nativeErrorResponse,
  nativeFor,
  withModel,
  type NativeRequest,
} from './native-dialect.ts';

describe('withModel', () => {
  it('replaces the top-level model and leaves every other byte as it was', () => {
    const body =
      '{ "messages": [{"role":"user","content":"say \\"model\\": x","model":"inner"}],\n  "model" :  "alias" , "thinking": {"signature":"a=="} }';
    expect(withModel(body, 'claude-real')).toBe(
      '{ "messages": [{"role":"user","content":"say \\"model\\": x","model":"inner"}],\n  "model" :  "claude-real" , "thinking": {"signature":"a=="} }',
    );
  });

  it('replaces a model that is not a string, and one given last', () => {
    expect(withModel('{"a":1,"model":null}', 'm')).toBe('{"a":1,"model":"m"}');
    expect(withModel('{"model":{"x":[1,2]},"b":2}', 'm')).toBe('{"model":"m","b":2}');
    expect(withModel('{"model":42 ,"b":2}', 'm')).toBe('{"model":"m" ,"b":2}');
  });

  it('adds a model when the body has none', () => {
    expect(withModel('{"input":"hi"}', 'gpt')).toBe('{"model":"gpt","input":"hi"}');
    expect(withModel('{ }', 'gpt')).toBe('{"model":"gpt" }');
  });

  it('does not take a nested or a value "model" for the member', () => {
    expect(withModel('{"metadata":{"model":"x"},"note":"model"}', 'm')).toBe(
      '{"model":"m","metadata":{"model":"x"},"note":"model"}',
    );
  });

  it('escapes the new model as JSON', () => {
    expect(JSON.parse(withModel('{"model":"a"}', 'we"ird\\'))).toEqual({ model: 'we"ird\\' });
  });
});

const held: NativeRequest = { dialect: 'openai-responses', body: '{}', headers: {}, provider: 'b' };
const free: NativeRequest = { dialect: 'openai-responses', body: '{}', headers: {} };
const targets = [{ provider: { id: 'a' } }, { provider: { id: 'b' } }, { provider: { id: 'c' } }];

describe('native bodies held by one provider', () => {
  it('puts the holder first and keeps the others in order', () => {
    expect(holderFirst(targets, held).map((target) => target.provider.id)).toEqual(['b', 'a', 'c']);
    expect(holderFirst(targets, free).map((target) => target.provider.id)).toEqual(['a', 'b', 'c']);
    expect(holderFirst(targets, undefined)).toEqual(targets);
  });

  it('forwards a held body to its holder only', () => {
    expect(nativeFor(held, 'b')).toBe(held);
    expect(nativeFor(held, 'a')).toBeUndefined();
    expect(nativeFor(free, 'a')).toBe(free);
  });
});

describe('nativeErrorResponse', () => {
  it('keeps a vendor 4xx about the request, not credential errors or 5xx', () => {
    expect(nativeErrorResponse('messages', 400, '{"x":1}')).toEqual({
      dialect: 'messages',
      status: 400,
      body: '{"x":1}',
    });
    expect(nativeErrorResponse('messages', 429, '{}')?.status).toBe(429);
    for (const status of [401, 403, 500, 529, 200])
      expect(nativeErrorResponse('messages', status, '{}')).toBeUndefined();
  });
});
