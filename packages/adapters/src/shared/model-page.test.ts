import { UpstreamError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { modelPageFrom, type ModelPageFormat } from './model-page.ts';

interface Listing {
  items: { name?: string }[];
  token?: string;
}

const format: ModelPageFormat<Listing> = {
  vendor: 'Example',
  isList: (body): body is Listing =>
    typeof body === 'object' && body !== null && Array.isArray((body as Listing).items),
  models: (list) => list.items.map((item) => (item.name ? { id: item.name } : undefined)),
  next: (list) => list.token,
};

describe('modelPageFrom', () => {
  it('keeps the usable models and the next page token', () => {
    const page = modelPageFrom(
      'p',
      { items: [{ name: 'a' }, {}, { name: 'b' }], token: 't2' },
      200,
      format,
    );
    expect(page).toEqual({ models: [{ id: 'a' }, { id: 'b' }], next: 't2' });
  });

  it('has no next token on the last page', () => {
    expect(modelPageFrom('p', { items: [] }, 200, format)).toEqual({ models: [] });
  });

  it('calls a body that is not JSON, or of another shape, a protocol error of the provider', () => {
    const notJson = (() => {
      try {
        modelPageFrom('p', undefined, 200, format);
      } catch (error) {
        return error;
      }
    })();
    expect(notJson).toBeInstanceOf(UpstreamError);
    expect(notJson).toMatchObject({ kind: 'protocol', provider: 'p', status: 200 });
    expect(() => modelPageFrom('p', { models: 1 }, 200, format)).toThrow(
      'Example model list has an unexpected shape',
    );
  });
});
