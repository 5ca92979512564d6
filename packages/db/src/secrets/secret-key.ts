// Where the secret key comes from: SWITCHYARD_SECRET_KEY, else <home>/secret.key, created with
// mode 0600 on first run (and announced, since losing it makes stored credentials unreadable).
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseLogger } from '../logger.ts';
import { generateSecretKey, parseSecretKey, SecretKeyError } from './secret-box.ts';

export const SECRET_KEY_FILE = 'secret.key';

export interface ResolvedSecretKey {
  key: Buffer;
  /** Said in error messages so the operator knows which key to fix. */
  source: string;
  /** The key file, when the key came from (or was written to) one. */
  path?: string;
}

export async function resolveSecretKey(options: {
  secretKey?: string;
  home: string;
  logger: DatabaseLogger;
}): Promise<ResolvedSecretKey> {
  if (options.secretKey !== undefined)
    return { key: parseSecretKey(options.secretKey), source: 'SWITCHYARD_SECRET_KEY' };
  const path = join(options.home, SECRET_KEY_FILE);
  const existing = await readKeyFile(path, options.logger);
  if (existing) return { key: existing, source: path, path };
  await mkdir(options.home, { recursive: true, mode: 0o700 });
  const text = generateSecretKey();
  try {
    await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readKeyFile(path, options.logger);
      if (raced) return { key: raced, source: path, path };
    }
    throw error;
  }
  options.logger.info(
    `Created a secret key for provider credentials at ${path} (mode 0600). Back it up: without it, stored credentials cannot be read. ` +
      'To use your own key, or to share one database between machines, set SWITCHYARD_SECRET_KEY instead.',
  );
  return { key: parseSecretKey(text, path), source: path, path };
}

async function readKeyFile(path: string, logger: DatabaseLogger): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretKeyError(
      `Cannot read the secret key file ${path}: ${(error as Error).message}`,
    );
  }
  const mode = (await stat(path)).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    logger.warn(
      `The secret key file ${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`,
    );
  return parseSecretKey(text, path);
}
