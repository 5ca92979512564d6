import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSecretBox,
  generateSecretKey,
  parseSecretKey,
  SecretKeyError,
  sealedFingerprint,
} from './secret-box.ts';

const key = parseSecretKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');

describe('secret box', () => {
  it('round-trips a value and never stores it in clear', () => {
    const box = createSecretBox(key);
    const sealed = box.encrypt('sk-live-very-secret');
    expect(sealed).not.toContain('sk-live-very-secret');
    expect(sealed).not.toContain(Buffer.from('sk-live-very-secret').toString('base64'));
    expect(box.decrypt(sealed)).toBe('sk-live-very-secret');
    expect(box.encrypt('sk-live-very-secret')).not.toBe(sealed);
  });

  it('names the key that sealed a value when another key tries to open it', () => {
    const sealed = createSecretBox(key).encrypt('value');
    const other = createSecretBox(randomBytes(32));
    expect(sealedFingerprint(sealed)).toBe(createSecretBox(key).fingerprint);
    expect(() => other.decrypt(sealed)).toThrow(SecretKeyError);
    expect(() => other.decrypt(sealed)).toThrow(
      /encrypted with another key \(fingerprint [0-9a-f]{8}\)/,
    );
  });

  it('refuses an altered value instead of returning garbage', () => {
    const box = createSecretBox(key);
    const parts = box.encrypt('value').split(':');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => box.decrypt(parts.join(':'))).toThrow(SecretKeyError);
    expect(() => box.decrypt('plain text')).toThrow(/not in the expected format/);
  });

  it('reads keys as hex or base64 and explains a malformed one', () => {
    const generated = generateSecretKey();
    expect(parseSecretKey(generated)).toHaveLength(32);
    expect(parseSecretKey(Buffer.from(generated, 'base64').toString('base64url'))).toEqual(
      parseSecretKey(generated),
    );
    expect(() => parseSecretKey('hunter2')).toThrow(
      /SWITCHYARD_SECRET_KEY is not a valid secret key: expected a 32-byte key/,
    );
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(SecretKeyError);
  });
});
