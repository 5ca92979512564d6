// Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>`, so a receiver can check both that
// the body came from this gateway and that it is recent (a replayed request carries an old
// timestamp, and changing the timestamp breaks the signature).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-switchyard-signature';
export const TIMESTAMP_HEADER = 'x-switchyard-timestamp';

/** `sha256=<hex>` for the body sent at `timestampSeconds` (Unix seconds). */
export function signWebhookBody(body: string, secret: string, timestampSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `sha256=${digest}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifyWebhookSignature(
  body: string,
  secret: string,
  timestampSeconds: number,
  signature: string,
): boolean {
  const expected = Buffer.from(signWebhookBody(body, secret, timestampSeconds));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
