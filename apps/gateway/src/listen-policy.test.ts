import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeKeysFromConfig, KeyRing } from '@switchyard/core';
import { EXAMPLE_KEYS, weakKeyRefusal } from './listen-policy.ts';

const STRONG = 'sk-sy-Zq8v3N1xR0pLkT7wYbH2mC5d';

function ringOf(...keys: string[]): KeyRing {
  const ring = new KeyRing();
  ring.setKeys(
    activeKeysFromConfig(
      keys.map((key, index) => ({ name: `k${index}`, key, allowedRoutes: [], revoked: false })),
    ),
  );
  return ring;
}

describe('weakKeyRefusal', () => {
  it('refuses to listen beyond localhost with a key shorter than 24 characters', () => {
    const keys = [{ name: 'short', key: 'sk-sy-short-key-01' }];
    const refusal = weakKeyRefusal('0.0.0.0', keys, ringOf('sk-sy-short-key-01'));
    expect(refusal).toContain('Refusing to listen on 0.0.0.0');
    expect(refusal).toContain('"short" is shorter than 24 characters');
    expect(weakKeyRefusal('127.0.0.1', keys, ringOf('sk-sy-short-key-01'))).toBeUndefined();
    expect(weakKeyRefusal('localhost', keys, ringOf('sk-sy-short-key-01'))).toBeUndefined();
  });

  it('refuses a key published in the examples, even when it came from the database', () => {
    for (const example of EXAMPLE_KEYS) {
      const refusal = weakKeyRefusal('10.0.0.4', [], ringOf(STRONG, example));
      expect(refusal).toContain(`published example key "${example}"`);
    }
  });

  it('lets strong keys listen anywhere, and ignores revoked ones', () => {
    const keys = [
      { name: 'strong', key: STRONG },
      { name: 'old', key: 'short', revoked: true },
    ];
    expect(weakKeyRefusal('0.0.0.0', keys, ringOf(STRONG))).toBeUndefined();
  });

  it('knows every key written in the shipped examples', async () => {
    const directory = join(import.meta.dirname, '../../../examples');
    const found = new Set<string>();
    for (const file of await readdir(directory)) {
      const text = await readFile(join(directory, file), 'utf8');
      for (const match of text.matchAll(/sk-sy-[\w-]+/g)) found.add(match[0]);
    }
    expect(found.size).toBeGreaterThan(0);
    for (const key of found) expect(EXAMPLE_KEYS).toContain(key);
  });
});
