// The prebuilt data directory shipped for a quick first run: a fresh database with every
// committed migration applied, dumped as PGlite's gzip'd tarball.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations } from '../migrate/apply-migrations.ts';
import { migrationsDirectory } from '../migrate/migrations-folder.ts';
import { prebuiltDataDirectoryPath, readPrebuiltDataDirectory } from './data-directory.ts';
import { pgliteAdapterFactory } from './pglite-adapter.ts';

export async function buildPrebuiltDataDirectory(
  target = prebuiltDataDirectoryPath,
  directory = migrationsDirectory,
): Promise<{ path: string; bytes: number; migrations: string[] }> {
  const pglite = await PGlite.create();
  try {
    const migrations = await applyMigrations(pgliteAdapterFactory(pglite), directory);
    const dump = await pglite.dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    return { path: target, bytes: bytes.length, migrations };
  } finally {
    await pglite.close();
  }
}

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/** The migrations recorded inside the prebuilt data directory (empty when there is none). */
export async function prebuiltMigrations(
  path = prebuiltDataDirectoryPath,
): Promise<AppliedMigration[]> {
  const blob = await readPrebuiltDataDirectory(path);
  if (!blob) return [];
  const pglite = await PGlite.create({ loadDataDir: blob });
  try {
    const { rows } = await pglite.query<{ name: string; checksum: string }>(
      'SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    return rows;
  } finally {
    await pglite.close();
  }
}
