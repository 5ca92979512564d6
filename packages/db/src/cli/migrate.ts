// pnpm db:migrate — apply pending migrations (DATABASE_URL, else the embedded database).
import { resolveHome } from '../database.ts';
import { readDbEnv } from '../env.ts';
import { migrateDatabase } from '../migrate/migrate-database.ts';
import { runCommand } from './cli-support.ts';

runCommand(async () => {
  const { target, applied } = await migrateDatabase({
    url: readDbEnv().DATABASE_URL,
    home: resolveHome(),
  });
  console.log(
    applied.length > 0
      ? `Applied ${applied.length} migration(s) to ${target}: ${applied.join(', ')}`
      : `${target} is up to date.`,
  );
});
