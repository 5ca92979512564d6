// The only place the suite reads its own environment. It has no settings of its own: it passes
// the environment on to the servers it starts, finds programs on PATH, and resolves paths given
// on the command line against the directory `pnpm bench` was run from.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A copy of the environment for a child process, with `overrides` applied. */
export function childEnvironment(
  overrides: Record<string, string> = {},
  without: readonly string[] = [],
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const name of without) delete env[name];
  return env;
}

export function searchPath(): string {
  return process.env.PATH ?? '';
}

/** The executable `command` on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const directory of searchPath().split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Where the user ran the command (pnpm runs scripts from the package root and sets INIT_CWD). */
export function invocationDirectory(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
