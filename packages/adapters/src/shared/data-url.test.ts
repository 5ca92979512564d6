import { describe, expect, it } from 'vitest';
import { parseBase64DataUrl, parseDataUrl } from './data-url.ts';

describe('parseDataUrl', () => {
  it('reads the media type (lower-cased), the payload and whether it is base64', () => {
    expect(parseDataUrl('data:Image/PNG;base64,iVBOR')).toEqual({
      mediaType: 'image/png',
      data: 'iVBOR',
      base64: true,
    });
    expect(parseDataUrl('data:text/plain,hello%20world')).toEqual({
      mediaType: 'text/plain',
      data: 'hello%20world',
      base64: false,
    });
  });

  it('returns undefined for anything that is not a data: URL', () => {
    expect(parseDataUrl('https://example.com/a.png')).toBeUndefined();
    expect(parseDataUrl('data:image/png;base64')).toBeUndefined();
  });
});

describe('parseBase64DataUrl', () => {
  it('accepts base64 payloads only', () => {
    expect(parseBase64DataUrl('data:image/gif;BASE64,R0lG')?.data).toBe('R0lG');
    expect(parseBase64DataUrl('data:image/gif,R0lG')).toBeUndefined();
  });
});
