// pnpm db:migrate:dev --name <name> [--create-only] — write a migration for the schema changes,
// then apply it to the configured database, rebuild the embedded first-run data directory and
// regenerate the client, as `prisma migrate dev` would (offline).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolveHome } from '../database.ts';
import { buildPrebuiltDataDirectory } from '../embedded/prebuilt.ts';
import { readDbEnv } from '../env.ts';
import { createMigration } from '../migrate/create-migration.ts';
import { migrateDatabase } from '../migrate/migrate-database.ts';
import { prismaDirectory } from '../migrate/migrations-folder.ts';
import { parseArgs } from 'node:util';
import { commandArguments, runCommand } from './cli-support.ts';

export function generateClient(): void {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const result = spawnSync(process.execPath, [cli, 'generate'], {
    cwd: `${prismaDirectory}..`,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1' },
  });
  if (result.status !== 0) throw new Error('prisma generate failed');
}

runCommand(async () => {
  const { values: options } = parseArgs({
    args: commandArguments(),
    options: { name: { type: 'string', short: 'n' }, 'create-only': { type: 'boolean' } },
  });
  if (!options.name)
    throw new Error('Name the migration: pnpm db:migrate:dev --name <what-it-changes>');
  const created = await createMigration({ name: options.name });
  if (!created) {
    console.log('The schema matches the migrations: nothing to create.');
  } else {
    console.log(`Created ${created.path}/migration.sql`);
    for (const warning of created.warnings) console.log(`  warning: ${warning}`);
  }
  if (options['create-only']) return;
  const { target, applied } = await migrateDatabase({
    url: readDbEnv().DATABASE_URL,
    home: resolveHome(),
  });
  if (applied.length > 0) console.log(`Applied to ${target}: ${applied.join(', ')}`);
  if (created) {
    const prebuilt = await buildPrebuiltDataDirectory();
    console.log(
      `Rebuilt the embedded first-run database ${prebuilt.path} (${Math.round(prebuilt.bytes / 1024)} KiB)`,
    );
  }
  generateClient();
});
