// `pnpm db:migrate`: applies pending migrations to the configured database and nothing else (no
// secret key is needed or created).
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { DATA_DIRECTORY_NAME, LOCK_FILE_NAME } from '../embedded/open-embedded.ts';
import { openDataDirectory } from '../embedded/data-directory.ts';
import { acquireLock } from '../embedded/lock-file.ts';
import { pgliteAdapterFactory } from '../embedded/pglite-adapter.ts';
import { applyMigrations } from './apply-migrations.ts';

export interface MigrateTarget {
  /** Postgres URL; absent means the embedded database in `home`. */
  url?: string;
  home: string;
}

export interface MigrateOutcome {
  target: string;
  applied: string[];
}

export async function migrateDatabase(target: MigrateTarget): Promise<MigrateOutcome> {
  if (target.url) {
    const pool = new pg.Pool({ connectionString: target.url, max: 2 });
    try {
      return {
        target: new URL(target.url).pathname.slice(1) || 'postgres',
        applied: await applyMigrations(new PrismaPg(pool)),
      };
    } finally {
      await pool.end();
    }
  }
  await mkdir(target.home, { recursive: true, mode: 0o700 });
  const dataDirectory = join(target.home, DATA_DIRECTORY_NAME);
  const lock = await acquireLock(join(target.home, LOCK_FILE_NAME), dataDirectory);
  try {
    const { pglite } = await openDataDirectory(dataDirectory);
    try {
      return {
        target: dataDirectory,
        applied: await applyMigrations(pgliteAdapterFactory(pglite)),
      };
    } finally {
      await pglite.close();
    }
  } finally {
    await lock.release();
  }
}
