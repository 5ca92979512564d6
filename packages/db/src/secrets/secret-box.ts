// Provider credentials at rest: AES-256-GCM with a random 96-bit IV per value. Each stored value
// names the fingerprint of the key that sealed it, so a wrong key is reported as such instead of
// surfacing as an authentication failure (and never as garbage).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class SecretKeyError extends Error {
  override readonly name: string = 'SecretKeyError';
}

export interface SecretBox {
  /** First 8 hex digits of a SHA-256 over the key: identifies a key without revealing it. */
  readonly fingerprint: string;
  encrypt(plain: string): string;
  /** Throws `SecretKeyError` when the value was sealed with another key or was altered. */
  decrypt(stored: string): string;
}

const FORMAT = 'sy1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const SECRET_KEY_HELP =
  'a 32-byte key written as 64 hex digits or base64, e.g. the output of `openssl rand -base64 32`';

/** Reads a key written as 64 hex digits or base64 / base64url of 32 bytes. */
export function parseSecretKey(text: string, source = 'SWITCHYARD_SECRET_KEY'): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(
      trimmed,
      trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
    );
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw new SecretKeyError(`${source} is not a valid secret key: expected ${SECRET_KEY_HELP}`);
}

export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function keyFingerprint(key: Buffer): string {
  return createHash('sha256')
    .update('switchyard secret key fingerprint\0')
    .update(key)
    .digest('hex')
    .slice(0, 8);
}

/** The fingerprint named in a stored value, or undefined when the value is not in this format. */
export function sealedFingerprint(stored: string): string | undefined {
  const parts = stored.split(':');
  return parts.length === 5 && parts[0] === FORMAT ? parts[1] : undefined;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES)
    throw new SecretKeyError(`A secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const fingerprint = keyFingerprint(key);
  return {
    fingerprint,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        FORMAT,
        fingerprint,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        sealed.toString('base64url'),
      ].join(':');
    },
    decrypt(stored) {
      const [format, sealedWith, ivText, tagText, sealedText] = stored.split(':');
      if (
        format !== FORMAT ||
        sealedWith === undefined ||
        ivText === undefined ||
        tagText === undefined ||
        sealedText === undefined
      )
        throw new SecretKeyError(
          'A stored secret is not in the expected format; it was not written by Switchyard or was altered',
        );
      if (sealedWith !== fingerprint)
        throw new SecretKeyError(
          `A stored secret was encrypted with another key (fingerprint ${sealedWith}); the current key's fingerprint is ${fingerprint}`,
        );
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
        throw new SecretKeyError('A stored secret is truncated or altered');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([
          decipher.update(Buffer.from(sealedText, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretKeyError(
          `A stored secret failed authentication with key ${fingerprint}: it was altered, or sealed by another key with the same fingerprint`,
        );
      }
    },
  };
}
