// pnpm db:import --config <file> | --env — a seed-shaped or extended config file (YAML or JSON),
// or the seed's environment variables, into the database. The application that knows the
// provider definitions runs it (apps/gateway/src/db-import.ts): this package names no vendor.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseConfigText, type ProviderRegistry } from '@switchyard/core';
import { openDatabase } from '../database.ts';
import {
  importConfig,
  importFromEnvironment,
  type ImportSummary,
} from '../config/import-config.ts';
import { processEnvironment } from '../env.ts';
import { commandArguments, runCommand, stderrLogger, userPath } from './cli-support.ts';

function describeSummary(summary: ImportSummary): string {
  const part = (label: string, { created, updated }: { created: string[]; updated: string[] }) =>
    `${label}: ${created.length} created${created.length ? ` (${created.join(', ')})` : ''}, ${updated.length} updated${updated.length ? ` (${updated.join(', ')})` : ''}`;
  return [
    part('providers', summary.providers),
    part('routes', summary.routes),
    part('keys', summary.keys),
    `settings: ${summary.settings.length ? summary.settings.join(', ') : 'unchanged'}`,
  ].join('\n');
}

/** Runs the command with the application's provider definitions, then exits. */
export function runImportCommand(definitions: ProviderRegistry): void {
  runCommand(async () => {
    const { values } = parseArgs({
      args: commandArguments(),
      options: { config: { type: 'string', short: 'c' }, env: { type: 'boolean' } },
    });
    if (!values.config && !values.env)
      throw new Error(
        "Say what to import: pnpm db:import --config <file.yaml|file.json>, or --env for the seed's environment variables",
      );
    let input: unknown;
    let source = 'the environment';
    if (values.config) {
      source = userPath(values.config);
      input = parseConfigText(await readFile(source, 'utf8'), source);
    }
    const db = await openDatabase({ logger: stderrLogger });
    try {
      const actor = { via: 'cli' } as const;
      const summary = values.config
        ? await importConfig(db, input, actor, {
            definitions,
            source,
            interpolation: 'allow-listed',
          })
        : await importFromEnvironment(db, processEnvironment(), actor, definitions);
      console.log(`Imported ${source}\n${describeSummary(summary)}`);
    } finally {
      await db.close();
    }
  });
}
