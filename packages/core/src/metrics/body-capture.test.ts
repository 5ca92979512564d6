import { describe, expect, it } from 'vitest';
import { bodyLoggingFor, captureBody, MASKED } from './body-capture.ts';

const logging = { maxBytes: 1_000 };

describe('captureBody', () => {
  it('masks credential fields and credential-shaped strings, keeping the rest', () => {
    const body = {
      model: 'chat',
      api_key: 'anything at all',
      messages: [
        {
          role: 'user',
          content:
            'my key is sk-proj-AbCdEfGhIjKlMnOpQrStUv and AWS AKIAABCDEFGHIJKLMNOP, call with Bearer abcdefghijklmnopqrstuvwx',
        },
      ],
      tools: [{ function: { arguments: '{"password":"x"}' }, headers: { Authorization: 'k' } }],
    };
    expect(captureBody(body, logging)).toEqual({
      model: 'chat',
      api_key: MASKED,
      messages: [
        {
          role: 'user',
          content: `my key is ${MASKED} and AWS ${MASKED}, call with ${MASKED}`,
        },
      ],
      tools: [{ function: { arguments: '{"password":"x"}' }, headers: { Authorization: MASKED } }],
    });
  });

  it('shortens inline images to their type and length', () => {
    const image = `data:image/png;base64,${'A'.repeat(5_000)}`;
    expect(captureBody({ url: image }, logging)).toEqual({
      url: 'data:image/png;base64,[5000 characters]',
    });
  });

  it('keeps a preview of a body over the cap, with its full size, never splitting a character', () => {
    const body = { text: 'é'.repeat(1_000) };
    const captured = captureBody(body, { maxBytes: 101 }) as {
      truncated: boolean;
      bytes: number;
      preview: string;
    };
    expect(captured.truncated).toBe(true);
    expect(captured.bytes).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(Buffer.byteLength(captured.preview)).toBeLessThanOrEqual(101);
    expect(captured.preview.startsWith('{"text":"éé')).toBe(true);
    expect(captured.preview).not.toContain('\uFFFD');
  });

  it('keeps nothing for nothing', () => {
    expect(captureBody(undefined, logging)).toBeUndefined();
  });
});

describe('bodyLoggingFor', () => {
  const on = { enabled: true, maxBytes: 512 };
  const off = { enabled: false, maxBytes: 512 };

  it('follows the global setting when neither the route nor the key says', () => {
    expect(bodyLoggingFor(on, undefined, undefined)).toEqual({ maxBytes: 512 });
    expect(bodyLoggingFor(off, undefined, undefined)).toBeUndefined();
  });

  it('lets the route override the global setting, both ways', () => {
    expect(bodyLoggingFor(off, true, undefined)).toEqual({ maxBytes: 512 });
    expect(bodyLoggingFor(on, false, undefined)).toBeUndefined();
  });

  it('lets the key override the route and the global setting, both ways', () => {
    expect(bodyLoggingFor(off, false, true)).toEqual({ maxBytes: 512 });
    expect(bodyLoggingFor(on, true, false)).toBeUndefined();
    expect(bodyLoggingFor(on, undefined, false)).toBeUndefined();
  });
});

describe('captureBody on client credentials', () => {
  it('masks an apiKey field and an Authorization header pasted into a prompt', () => {
    const body = {
      apiKey: 'my-own-secret-value',
      messages: [
        { role: 'user', content: 'curl -H "Authorization: Bearer abcdEFGH1234ijklMNOP5678"' },
      ],
    };
    const stored = JSON.stringify(captureBody(body, logging));
    expect(stored).not.toContain('my-own-secret-value');
    expect(stored).not.toContain('abcdEFGH1234ijklMNOP5678');
    expect(stored).toContain(`"apiKey":"${MASKED}"`);
    expect(stored).toContain(`Authorization: ${MASKED}`);
  });
});
