import { describe, expect, it } from 'vitest';
import { hasMember, withMember, withoutMember } from './json-members.ts';

describe('withoutMember', () => {
  it('cuts a top-level member and its comma, leaving every other byte', () => {
    expect(withoutMember('{"model": "a" , "x":{"model":1}}', 'model')).toBe('{"x":{"model":1}}');
    expect(withoutMember('{"x": [1, "s,}"],\n "stream": true }', 'stream')).toBe(
      '{"x": [1, "s,}"] }',
    );
    expect(withoutMember('{"stream":false}', 'stream')).toBe('{}');
    expect(withoutMember('{"a":"model"}', 'model')).toBe('{"a":"model"}');
  });
});

describe('withMember', () => {
  it('replaces a top-level value in place, or adds the member first', () => {
    expect(withMember('{ "max_tokens" : 32000 ,"m":{"max_tokens":1}}', 'max_tokens', '100')).toBe(
      '{ "max_tokens" : 100 ,"m":{"max_tokens":1}}',
    );
    expect(withMember('{"a":1}', 'b', '"x"')).toBe('{"b":"x","a":1}');
    expect(withMember('{ }', 'b', '2')).toBe('{"b":2 }');
  });

  it('tells whether a member is there', () => {
    expect(hasMember('{"a":{"b":1}}', 'b')).toBe(false);
    expect(hasMember('{"a":{"b":1}, "b": null}', 'b')).toBe(true);
  });
});
