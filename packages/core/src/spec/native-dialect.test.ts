import { describe, expect, it } from 'vitest';
import { withModel } from './native-dialect.ts';

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
