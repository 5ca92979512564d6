// pnpm db:import — the database package's import command, run with the adapters' provider
// definitions (the database package does not depend on the adapters).
import { defaultDefinitions } from '@switchyard/adapters';
import { runImportCommand } from '@switchyard/db/import-command';

runImportCommand(defaultDefinitions);
