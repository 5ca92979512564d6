// `prisma migrate deploy` without the native engine: applies pending migrations and records them
// in Prisma's own `_prisma_migrations` table, so the official CLI agrees wherever it can run.
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { migrationList, migrationsDirectory, noSchemaFilter } from './migrations-folder.ts';
import { withSchemaEngine } from './schema-engine.ts';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Applies every migration not yet applied; returns the names it applied (empty when up to date). */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  directory = migrationsDirectory,
): Promise<string[]> {
  const migrationsList = await migrationList(directory);
  try {
    const { appliedMigrationNames } = await withSchemaEngine(factory, (engine) =>
      engine.applyMigrations({ migrationsList, filters: noSchemaFilter }),
    );
    return appliedMigrationNames;
  } catch (error) {
    throw new MigrationError(`Applying database migrations failed: ${describeEngineError(error)}`, {
      cause: error,
    });
  }
}

/** The engine rejects with plain objects or errors whose message carries the useful part. */
export function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (
    error !== null &&
    typeof error === 'object' &&
    'message' in error &&
    typeof error.message === 'string'
  )
    return error.message;
  return String(error);
}
