import { cp, mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPrebuiltDataDirectory } from '../embedded/data-directory.ts';
import { pgliteAdapterFactory } from '../embedded/pglite-adapter.ts';
import { prebuiltMigrations } from '../embedded/prebuilt.ts';
import { createScratchPostgresDatabase, postgresTestUrl } from '../testkit/test-database.ts';
import { applyMigrations, MigrationError } from './apply-migrations.ts';
import { createMigration } from './create-migration.ts';
import { migrationsDirectory, readMigrations, schemaPath } from './migrations-folder.ts';

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  logs: string | null;
}

const recorded =
  'SELECT migration_name, checksum, finished_at, logs FROM _prisma_migrations ORDER BY migration_name';

describe('migrations', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchyard-migrations-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('apply to an empty PGlite database, record Prisma checksums, and are a no-op the second time', async () => {
    const committed = await readMigrations();
    expect(committed.length).toBeGreaterThan(0);
    const pglite = await PGlite.create();
    try {
      const factory = pgliteAdapterFactory(pglite);
      expect(await applyMigrations(factory)).toEqual(committed.map((migration) => migration.name));
      expect(await applyMigrations(factory)).toEqual([]);
      const { rows } = await pglite.query<MigrationRow>(recorded);
      expect(
        rows.map((row) => [row.migration_name, row.checksum, row.finished_at !== null]),
      ).toEqual(committed.map((migration) => [migration.name, migration.checksum, true]));
      const { rows: tables } = await pglite.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.map((table) => table.tablename)).toContain('RequestLog');
    } finally {
      await pglite.close();
    }
  });

  it.skipIf(!postgresTestUrl())(
    'apply to an empty Postgres database and are a no-op the second time',
    async () => {
      const committed = await readMigrations();
      const database = await createScratchPostgresDatabase();
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      try {
        expect(await applyMigrations(new PrismaPg(pool))).toEqual(
          committed.map((migration) => migration.name),
        );
        expect(await applyMigrations(new PrismaPg(pool))).toEqual([]);
        const { rows } = await pool.query<MigrationRow>(recorded);
        expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
          committed.map((migration) => [migration.name, migration.checksum]),
        );
      } finally {
        await pool.end();
        await database.drop();
      }
    },
  );

  it('ships a prebuilt first-run database holding exactly the committed migrations (else run pnpm db:build-embedded)', async () => {
    const committed = (await readMigrations()).map(({ name, checksum }) => ({ name, checksum }));
    expect(await prebuiltMigrations()).toEqual(committed);
  });

  it('records a failing migration as failed, with its error, instead of applied', async () => {
    const directory = join(scratch, 'migrations');
    await cp(migrationsDirectory, directory, { recursive: true });
    await mkdir(join(directory, '99990101000000_broken'));
    await writeFile(
      join(directory, '99990101000000_broken', 'migration.sql'),
      'SELECT * FROM "NoSuchTable";\n',
    );
    const blob = await readPrebuiltDataDirectory();
    const pglite = await PGlite.create(blob ? { loadDataDir: blob } : {});
    try {
      const factory = pgliteAdapterFactory(pglite);
      await expect(applyMigrations(factory, directory)).rejects.toThrow(MigrationError);
      await expect(applyMigrations(factory, directory)).rejects.toThrow(/99990101000000_broken/);
      const { rows } = await pglite.query<MigrationRow>(recorded);
      const broken = rows.find((row) => row.migration_name === '99990101000000_broken');
      expect(broken?.finished_at).toBeNull();
      expect(broken?.logs).toMatch(/NoSuchTable/);
    } finally {
      await pglite.close();
    }
  });

  it(
    'creates a new migration offline, in Prisma folder format, with warnings for unsafe steps',
    { timeout: 240_000 },
    async () => {
      const directory = join(scratch, 'migrations');
      await cp(migrationsDirectory, directory, { recursive: true });
      const schema = join(scratch, 'schema.prisma');
      const original = await readFile(schemaPath, 'utf8');
      const changed = original.replace(/(model RequestLog \{\n)/, '$1  tag          String\n');
      expect(changed).not.toBe(original);
      await writeFile(schema, changed);

      const created = await createMigration({ name: 'Add tag', directory, schema });
      expect(created?.name).toMatch(/^\d{14}_add_tag$/);
      expect(created?.warnings).toEqual([
        'Added the required column `tag` to the `RequestLog` table without a default value. This is not possible if the table is not empty.',
      ]);
      const sql = await readFile(join(directory, created!.name, 'migration.sql'), 'utf8');
      expect(sql).toContain(
        '-- AlterTable\nALTER TABLE "RequestLog" ADD COLUMN     "tag" TEXT NOT NULL;',
      );
      expect(sql).toMatch(/^\/\*\n {2}Warnings:/);
      expect((await readdir(directory)).sort()).toEqual(
        [...(await readdir(migrationsDirectory)), created!.name].sort(),
      );
      expect(await createMigration({ name: 'again', directory, schema })).toBeNull();
    },
  );
});
