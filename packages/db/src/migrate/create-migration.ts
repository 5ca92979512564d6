// `prisma migrate dev --create-only` without the native engine: the engine calls the CLI makes
// (applyMigrations, devDiagnostic, createMigration), against a throwaway
// in-memory database, so the output is byte-identical to what the CLI writes. The committed
// migrations are applied first: devDiagnostic then finds the database in sync and replays them
// into the shadow database, which fills the engine's cache that createMigration needs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteAdapterFactory } from '../embedded/pglite-adapter.ts';
import { MigrationError } from './apply-migrations.ts';
import {
  LOCKFILE_CONTENT,
  LOCKFILE_NAME,
  migrationList,
  migrationsDirectory,
  noSchemaFilter,
  readSchema,
  schemaPath,
} from './migrations-folder.ts';
import { withSchemaEngine } from './schema-engine.ts';

export interface CreateMigrationOptions {
  /** Written into the folder name after the timestamp, as `prisma migrate dev --name`. */
  name: string;
  /** Write an (empty) migration even when the schema has no changes. */
  draft?: boolean;
  directory?: string;
  schema?: string;
}

export interface CreatedMigration {
  name: string;
  path: string;
  sql: string;
  /** Destructive or unexecutable steps, also written as a comment at the top of the file. */
  warnings: string[];
}

/** The items of the Warnings comment the engine puts at the top of a script (destructive or unexecutable steps). */
export function warningsOf(script: string): string[] {
  const header = /^\/\*\n\s*Warnings:\n([\s\S]*?)\*\//.exec(script)?.[1] ?? '';
  return header
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
}

/** `Add tag column` → `add_tag_column`: folder names that need no quoting anywhere. */
export function migrationSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

/** Writes a new migration for the difference between the committed migrations and the schema; null when there is none. */
export async function createMigration(
  options: CreateMigrationOptions,
): Promise<CreatedMigration | null> {
  if (migrationSlug(options.name) === '')
    throw new MigrationError('A migration needs a name made of letters or digits');
  const directory = options.directory ?? migrationsDirectory;
  const migrationsList = await migrationList(directory);
  const files = [await readSchema(options.schema ?? schemaPath)];
  const pglite = await PGlite.create();
  try {
    return await withSchemaEngine(pgliteAdapterFactory(pglite), async (engine) => {
      await engine.applyMigrations({ migrationsList, filters: noSchemaFilter });
      const diagnostic = await engine.devDiagnostic({ migrationsList, filters: noSchemaFilter });
      if (diagnostic.action.tag === 'reset')
        throw new MigrationError(
          `The committed migrations do not replay cleanly: ${diagnostic.action.reason}`,
        );
      const created = await engine.createMigration({
        draft: options.draft ?? false,
        migrationName: migrationSlug(options.name),
        migrationsList,
        schema: { files },
        filters: noSchemaFilter,
      });
      if (created.migrationScript === null) return null;
      const path = join(directory, created.generatedMigrationName);
      await mkdir(path, { recursive: true });
      await writeFile(join(path, `migration.${created.extension}`), created.migrationScript);
      if (migrationsList.lockfile.content === null)
        await writeFile(join(directory, LOCKFILE_NAME), LOCKFILE_CONTENT);
      return {
        name: created.generatedMigrationName,
        path,
        sql: created.migrationScript,
        warnings: warningsOf(created.migrationScript),
      };
    });
  } finally {
    await pglite.close();
  }
}
