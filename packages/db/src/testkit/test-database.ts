// Databases for tests: an in-memory PGlite restored from the prebuilt data directory, and — when
// DATABASE_URL is set — a uniquely named Postgres database created on that server and dropped
// afterwards, so test files never share state.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../database.ts';
import { readPrebuiltDataDirectory } from '../embedded/data-directory.ts';
import { connectPglite } from '../embedded/open-embedded.ts';
import { readDbEnv } from '../env.ts';
import { silentLogger, type DatabaseLogger } from '../logger.ts';
import { openPostgresDatabase } from '../postgres/open-postgres.ts';
import { parseSecretKey } from '../secrets/secret-box.ts';
import { verifySecretKey } from '../secrets/verify-secret-key.ts';

export type TestBackend = 'pglite' | 'postgres';

/** A fixed key: test data is not secret, and a fixed key makes failures reproducible. */
export const TEST_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export interface TestDatabase {
  readonly db: Database;
  readonly backend: TestBackend;
  /** The server URL of the database (Postgres only), for a second connection. */
  readonly url?: string;
  /** Empties every table (migrations stay applied). */
  reset(): Promise<void>;
  /** Closes the database and, for Postgres, drops it. */
  close(): Promise<void>;
}

let skipAnnounced = false;

/** The PGlite leg always; the Postgres leg when DATABASE_URL is set (CI sets it), else says it is skipped. */
export function testBackends(): TestBackend[] {
  if (readDbEnv().DATABASE_URL) return ['pglite', 'postgres'];
  if (!skipAnnounced)
    console.warn(
      'DATABASE_URL is not set: database tests run on PGlite only; the Postgres leg is skipped.',
    );
  skipAnnounced = true;
  return ['pglite'];
}

export function postgresTestUrl(): string | undefined {
  return readDbEnv().DATABASE_URL;
}

export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates an empty, uniquely named database on the DATABASE_URL server; returns its URL and how to drop it. */
export async function createScratchPostgresDatabase(
  prefix = 'switchyard_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = postgresTestUrl();
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabaseName(serverUrl, name),
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export async function openTestDatabase(
  backend: TestBackend,
  options: { logger?: DatabaseLogger } = {},
): Promise<TestDatabase> {
  const logger = options.logger ?? silentLogger;
  const key = { key: parseSecretKey(TEST_SECRET_KEY), source: 'the test key' };
  let db: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (backend === 'pglite') {
    const blob = await readPrebuiltDataDirectory();
    const pglite = await PGlite.create(blob ? { loadDataDir: blob } : {});
    db = await connectPglite(pglite, { key, migrate: true, logger });
  } else {
    const scratch = await createScratchPostgresDatabase();
    url = scratch.url;
    drop = scratch.drop;
    try {
      db = await openPostgresDatabase({
        url,
        home: '/nonexistent',
        secretKey: TEST_SECRET_KEY,
        migrate: true,
        logger,
        maxConnections: 4,
      });
    } catch (error) {
      await drop();
      throw error;
    }
  }
  return {
    db,
    backend,
    ...(url ? { url } : {}),
    async reset() {
      const tables = await db.prisma.$queryRaw<{ name: string }[]>`
        SELECT tablename AS "name" FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
      await db.prisma.$executeRawUnsafe(
        `TRUNCATE ${tables.map((table) => `"${table.name}"`).join(', ')} RESTART IDENTITY CASCADE`,
      );
      await verifySecretKey(db.prisma, db.secrets, key.source);
    },
    async close() {
      await db.close();
      await drop();
    },
  };
}
