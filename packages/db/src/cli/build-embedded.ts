// pnpm db:build-embedded — regenerate the prebuilt first-run data directory from the committed
// migrations (db:migrate:dev does this after creating a migration).
import { buildPrebuiltDataDirectory } from '../embedded/prebuilt.ts';
import { runCommand } from './cli-support.ts';

runCommand(async () => {
  const { path, bytes, migrations } = await buildPrebuiltDataDirectory();
  console.log(
    `Wrote ${path} (${Math.round(bytes / 1024)} KiB) with migrations: ${migrations.join(', ')}`,
  );
});
