// Shared by the db:* commands: arguments, a logger on stderr (stdout may carry an export), and
// one exit path that prints a failure as a sentence instead of a stack.
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '@switchyard/core';
import { invocationDirectory } from '../env.ts';
import type { DatabaseLogger } from '../logger.ts';

export const stderrLogger: DatabaseLogger = {
  info: (message) => console.error(message),
  warn: (message) => console.error(`warning: ${message}`),
  error: (message, error) =>
    console.error(`error: ${message}${error instanceof Error ? `: ${error.message}` : ''}`),
};

/** The arguments after the command, e.g. `--config file.yaml` of `pnpm db:import --config file.yaml`. */
export function commandArguments(argv = process.argv.slice(2)): string[] {
  // pnpm forwards a literal `--` when the user separates arguments with it.
  return argv.filter((arg) => arg !== '--');
}

/** A path given on the command line, relative to where the user ran pnpm. */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(invocationDirectory(), path);
}

function describe(error: unknown): string {
  if (error instanceof ConfigError)
    return [
      error.message.split(': ')[0] + ':',
      ...error.issues.map((issue) => `  ${issue.path || '(file)'}: ${issue.message}`),
    ].join('\n');
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs a command and exits: the schema engine and PGlite keep timers that would hold the process open. */
export function runCommand(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`error: ${describe(error)}`);
      process.exit(1);
    },
  );
}
