import { execFile } from 'node:child_process';
import { defaultDefinitions } from '@switchyard/adapters';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importConfig } from '../config/import-config.ts';
import { loadGatewayConfig } from '../config/export-config.ts';
import type { Database } from '../database.ts';
import { DATA_DIRECTORY_NAME, openEmbeddedDatabase } from '../embedded/open-embedded.ts';
import { silentLogger } from '../logger.ts';
import { openPostgresDatabase } from '../postgres/open-postgres.ts';
import {
  createScratchPostgresDatabase,
  testBackends,
  type TestBackend,
} from '../testkit/test-database.ts';
import { rotateSecretKey } from './rotate-secret-key.ts';
import { generateSecretKey, parseSecretKey, SecretKeyError } from './secret-box.ts';

const run = promisify(execFile);
const SECRET = 'sk-known-plaintext-4f1c9e';
const VISIBLE = 'Distinctive Provider Name';

async function pgDumpAvailable(): Promise<boolean> {
  try {
    await run('pg_dump', ['--version']);
    return true;
  } catch {
    return false;
  }
}

describe.each(testBackends())('secrets at rest on %s', (backend: TestBackend) => {
  let home: string;
  let url: string | undefined;
  let drop = async () => {};
  const firstKey = generateSecretKey();

  const open = (secretKey: string): Promise<Database> =>
    backend === 'pglite'
      ? openEmbeddedDatabase({ home, secretKey, migrate: true, logger: silentLogger })
      : openPostgresDatabase({
          url: url!,
          home,
          secretKey,
          migrate: true,
          logger: silentLogger,
          maxConnections: 2,
        });

  /** The whole database as its own dump tool writes it: pg_dump, or PGlite's data-directory dump. */
  async function dump(): Promise<string | undefined> {
    if (backend === 'postgres')
      return (await pgDumpAvailable())
        ? (await run('pg_dump', [url!], { maxBuffer: 64 * 1024 * 1024 })).stdout
        : undefined;
    const pglite = await PGlite.create(join(home, DATA_DIRECTORY_NAME));
    try {
      return Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()).toString('latin1');
    } finally {
      await pglite.close();
    }
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-secrets-'));
    if (backend === 'postgres') ({ url, drop } = await createScratchPostgresDatabase());
  });
  afterAll(async () => {
    await drop();
    await rm(home, { recursive: true, force: true });
  });

  it('keeps an imported secret out of the database dump', async () => {
    const db = await open(firstKey);
    try {
      await importConfig(
        db,
        {
          providers: [
            {
              id: 'p',
              name: VISIBLE,
              type: 'openai',
              apiKey: SECRET,
              config: { organization: 'org-1' },
            },
          ],
        },
        { via: 'cli' },
        { definitions: defaultDefinitions, env: {} },
      );
    } finally {
      await db.close();
    }
    const text = await dump();
    if (text === undefined) {
      console.warn('pg_dump is not installed: the dump check is skipped');
      return;
    }
    expect(text).toContain(VISIBLE);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
  });

  it('refuses to open with the wrong key, naming both fingerprints, and never decrypts garbage', async () => {
    const wrongKey = generateSecretKey();
    const attempt = open(wrongKey);
    await expect(attempt).rejects.toThrow(SecretKeyError);
    await expect(attempt).rejects.toThrow(
      /The secret key from SWITCHYARD_SECRET_KEY \(fingerprint [0-9a-f]{8}\) is not the key this database's credentials were encrypted with \(fingerprint [0-9a-f]{8}\)/,
    );
  });

  it('rotates the key: every credential re-encrypted, the old key refused afterwards', async () => {
    const secondKey = generateSecretKey();
    const db = await open(firstKey);
    try {
      const result = await rotateSecretKey(db, parseSecretKey(secondKey), { via: 'cli' });
      expect(result.secrets).toBe(1);
      expect(result.newFingerprint).not.toBe(result.oldFingerprint);
    } finally {
      await db.close();
    }
    await expect(open(firstKey)).rejects.toThrow(SecretKeyError);
    const reopened = await open(secondKey);
    try {
      expect((await loadGatewayConfig(reopened, defaultDefinitions)).providers[0]?.apiKey).toBe(
        SECRET,
      );
    } finally {
      await reopened.close();
    }
  });
});
