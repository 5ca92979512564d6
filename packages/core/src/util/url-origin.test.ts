import { describe, expect, it } from 'vitest';
import { redactUrls, urlOrigin } from './url-origin.ts';

describe('urlOrigin and redactUrls', () => {
  it('keep only the origin of a URL: no userinfo, path or query', () => {
    expect(urlOrigin('http://user:PASSWORD@10.0.0.5:8080/v1/models?token=abc')).toBe(
      'http://10.0.0.5:8080',
    );
    expect(urlOrigin('not a url')).toBe('(invalid URL)');
    expect(
      redactUrls(
        'Request cannot be constructed from a URL that includes credentials: http://user:PASSWORD@host/?token=t, see https://docs.example/x?a=1',
      ),
    ).toBe(
      'Request cannot be constructed from a URL that includes credentials: http://host see https://docs.example',
    );
  });
});
