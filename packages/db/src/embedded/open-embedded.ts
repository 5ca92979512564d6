// The embedded default: PGlite in <home>/pgdata, owned by one process through a lock file.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createLocalChangeNotifier } from '../changes/change-notifier.ts';
import type { Database } from '../database.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { DatabaseLogger } from '../logger.ts';
import { applyMigrations } from '../migrate/apply-migrations.ts';
import { createSecretBox } from '../secrets/secret-box.ts';
import { resolveSecretKey, type ResolvedSecretKey } from '../secrets/secret-key.ts';
import { verifySecretKey } from '../secrets/verify-secret-key.ts';
import { openDataDirectory } from './data-directory.ts';
import { acquireLock } from './lock-file.ts';
import { pgliteAdapterFactory } from './pglite-adapter.ts';

export const DATA_DIRECTORY_NAME = 'pgdata';
export const LOCK_FILE_NAME = 'embedded.lock';

export interface EmbeddedOptions {
  home: string;
  secretKey?: string;
  migrate: boolean;
  logger: DatabaseLogger;
}

export async function openEmbeddedDatabase(options: EmbeddedOptions): Promise<Database> {
  await mkdir(options.home, { recursive: true, mode: 0o700 });
  const dataDirectory = join(options.home, DATA_DIRECTORY_NAME);
  const lock = await acquireLock(join(options.home, LOCK_FILE_NAME), dataDirectory);
  try {
    const key = await resolveSecretKey(options);
    const opened = await openDataDirectory(dataDirectory);
    if (opened.created) options.logger.info(`Created the embedded database in ${dataDirectory}`);
    return await connectPglite(opened.pglite, { ...options, key, onClose: () => lock.release() });
  } catch (error) {
    await lock.release();
    throw error;
  }
}

export interface ConnectPgliteOptions {
  key: ResolvedSecretKey;
  migrate: boolean;
  logger: DatabaseLogger;
  onClose?: () => Promise<void>;
}

/** A Database over an open PGlite instance, which it closes on `close()`. */
export async function connectPglite(
  pglite: PGlite,
  options: ConnectPgliteOptions,
): Promise<Database> {
  const factory = pgliteAdapterFactory(pglite);
  const prisma = new PrismaClient({ adapter: factory });
  const changes = createLocalChangeNotifier(options.logger);
  const secrets = createSecretBox(options.key.key);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // The lock goes last and in any case: a failed close must not leave the database locked.
      try {
        await changes.close();
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        await options.onClose?.();
      }
    })());
  try {
    if (options.migrate) {
      const applied = await applyMigrations(factory);
      if (applied.length > 0)
        options.logger.info(`Applied database migrations: ${applied.join(', ')}`);
    }
    await verifySecretKey(prisma, secrets, options.key.source);
  } catch (error) {
    await close();
    throw error;
  }
  return { kind: 'pglite', prisma, secrets, changes, close };
}
