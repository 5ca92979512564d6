import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../testkit/recording-logger.ts';
import { generateSecretKey, parseSecretKey } from './secret-box.ts';
import { resolveSecretKey } from './secret-key.ts';

describe('resolveSecretKey', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-key-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('creates secret.key with mode 0600 on first run, says where, and reuses it afterwards', async () => {
    const { lines, logger } = recordingLogger();
    const first = await resolveSecretKey({ home, logger });
    const path = join(home, 'secret.key');
    expect(first.path).toBe(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain(`Created a secret key for provider credentials at ${path}`);
    const second = await resolveSecretKey({ home, logger });
    expect(second.key.equals(first.key)).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it('prefers SWITCHYARD_SECRET_KEY and then writes no file', async () => {
    const { logger } = recordingLogger();
    const text = generateSecretKey();
    const resolved = await resolveSecretKey({ home, logger, secretKey: text });
    expect(resolved.key.equals(parseSecretKey(text))).toBe(true);
    expect(resolved.source).toBe('SWITCHYARD_SECRET_KEY');
    await expect(readFile(join(home, 'secret.key'))).rejects.toThrow(/ENOENT/);
  });

  it('warns when the key file is readable by others', async () => {
    const { lines, logger } = recordingLogger();
    const path = join(home, 'secret.key');
    await writeFile(path, generateSecretKey());
    await chmod(path, 0o644);
    await resolveSecretKey({ home, logger });
    expect(lines.join('\n')).toContain(`chmod 600 ${path}`);
  });
});
