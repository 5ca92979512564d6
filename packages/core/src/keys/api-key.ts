// Virtual API keys: `sk-sy-` + 32 random bytes (base64url). Only the SHA-256 digest is stored;
// the first characters stay visible so operators can tell keys apart.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'sk-sy-';
const VISIBLE_LENGTH = API_KEY_PREFIX.length + 6;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part of a key shown in lists, e.g. `sk-sy-AbC123…`. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, VISIBLE_LENGTH);
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
