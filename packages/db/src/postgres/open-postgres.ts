// Postgres through @prisma/adapter-pg on an application-owned pool, so the pool is closed exactly
// when the database is, and the change notifier can share it.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { createPostgresChangeNotifier } from '../changes/postgres-change-notifier.ts';
import type { Database } from '../database.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { DatabaseLogger } from '../logger.ts';
import { applyMigrations } from '../migrate/apply-migrations.ts';
import { createSecretBox } from '../secrets/secret-box.ts';
import { resolveSecretKey } from '../secrets/secret-key.ts';
import { verifySecretKey } from '../secrets/verify-secret-key.ts';

export interface PostgresOptions {
  url: string;
  home: string;
  secretKey?: string;
  migrate: boolean;
  logger: DatabaseLogger;
  /** Pool size; Prisma, NOTIFY and the schema engine share it. */
  maxConnections?: number;
}

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const { logger } = options;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    application_name: 'switchyard',
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (error) => logger.warn(`A pooled Postgres connection failed: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const changes = createPostgresChangeNotifier({ connectionString: options.url, pool, logger });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      try {
        await changes.close();
        await prisma.$disconnect();
      } finally {
        await pool.end();
      }
    })());
  try {
    if (options.migrate) {
      const applied = await applyMigrations(new PrismaPg(pool));
      if (applied.length > 0) logger.info(`Applied database migrations: ${applied.join(', ')}`);
    }
    const key = await resolveSecretKey(options);
    const secrets = createSecretBox(key.key);
    await verifySecretKey(prisma, secrets, key.source);
    return { kind: 'postgres', prisma, secrets, changes, close };
  } catch (error) {
    await close();
    throw error;
  }
}
