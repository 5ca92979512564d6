import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

describe('webhook signatures', () => {
  const body = '{"event":"test","text":"hello"}';

  it('is the HMAC-SHA256 of "<timestamp>.<body>" in hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', 'whsec').update(`1700000000.${body}`).digest('hex');
    expect(signWebhookBody(body, 'whsec', 1_700_000_000)).toBe(`sha256=${expected}`);
  });

  it('verifies only the same body, secret and timestamp', () => {
    const signature = signWebhookBody(body, 'whsec', 1_700_000_000);
    expect(verifyWebhookSignature(body, 'whsec', 1_700_000_000, signature)).toBe(true);
    expect(verifyWebhookSignature(`${body} `, 'whsec', 1_700_000_000, signature)).toBe(false);
    expect(verifyWebhookSignature(body, 'other', 1_700_000_000, signature)).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec', 1_700_000_001, signature)).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec', 1_700_000_000, 'sha256=00')).toBe(false);
  });
});
