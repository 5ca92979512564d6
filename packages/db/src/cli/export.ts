// pnpm db:export [--output <file>] — the configuration as a config file (credentials omitted);
// YAML for .yaml/.yml files, JSON otherwise (stdout without --output).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { exportConfig } from '../config/export-config.ts';
import { openDatabase } from '../database.ts';
import { commandArguments, runCommand, stderrLogger, userPath } from './cli-support.ts';

runCommand(async () => {
  const { values } = parseArgs({
    args: commandArguments(),
    options: { output: { type: 'string', short: 'o' } },
  });
  const db = await openDatabase({ logger: stderrLogger });
  let text: string;
  try {
    const config = await exportConfig(db);
    const yaml = values.output !== undefined && /\.ya?ml$/i.test(values.output);
    text = yaml ? stringify(config) : `${JSON.stringify(config, null, 2)}\n`;
  } finally {
    await db.close();
  }
  if (values.output === undefined) {
    process.stdout.write(text);
    return;
  }
  const path = userPath(values.output);
  await writeFile(path, text);
  console.error(`Wrote ${path} (credentials are not exported)`);
});
