// Opening the database: Postgres when a URL is given, otherwise the embedded PGlite under the
// Switchyard home directory. Either way pending migrations are applied and the secret key is
// checked before anything else can read or write.
import { isAbsolute, join, resolve } from 'node:path';
import type { ChangeNotifier } from './changes/change-notifier.ts';
import { openEmbeddedDatabase } from './embedded/open-embedded.ts';
import { readDbEnv } from './env.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { consoleLogger, type DatabaseLogger } from './logger.ts';
import { openPostgresDatabase } from './postgres/open-postgres.ts';
import type { SecretBox } from './secrets/secret-box.ts';

export interface DatabaseOptions {
  /** A postgres:// URL (DATABASE_URL); absent means the embedded PGlite database. */
  url?: string;
  /** SWITCHYARD_HOME: holds the embedded database and the generated secret key. Default `<INIT_CWD or cwd>/.switchyard`. */
  home?: string;
  /** SWITCHYARD_SECRET_KEY: 32 bytes as hex or base64. Absent: `<home>/secret.key`, created on first run. */
  secretKey?: string;
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  logger?: DatabaseLogger;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** For this package's own use; applications go through the repositories. */
  readonly prisma: PrismaClient;
  readonly secrets: SecretBox;
  readonly changes: ChangeNotifier;
  close(): Promise<void>;
}

export const HOME_DIRECTORY_NAME = '.switchyard';

/** The Switchyard home: the option, else SWITCHYARD_HOME, else `.switchyard` where the command was started. */
export function resolveHome(home?: string): string {
  const env = readDbEnv();
  const base = env.INIT_CWD ?? process.cwd();
  const chosen = home ?? env.SWITCHYARD_HOME;
  if (chosen === undefined) return join(base, HOME_DIRECTORY_NAME);
  return isAbsolute(chosen) ? chosen : resolve(base, chosen);
}

/** Opens the configured database; options left out are read from the environment. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const env = readDbEnv();
  const url = options.url ?? env.DATABASE_URL;
  const common = {
    home: resolveHome(options.home),
    secretKey: options.secretKey ?? env.SWITCHYARD_SECRET_KEY,
    migrate: options.migrate ?? true,
    logger: options.logger ?? consoleLogger,
  };
  return url ? openPostgresDatabase({ ...common, url }) : openEmbeddedDatabase(common);
}
