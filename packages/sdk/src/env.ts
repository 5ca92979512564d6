// The one place the SDK reads the process environment and the working directory: where the
// config file lives, where the local LM Studio server is, and whether debug output is on.
import { join, resolve } from 'node:path';
import { environmentValue, type Environment } from '@switchyard/core';

export type { Environment };

/** The default config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = join('.switchyard', 'cloud-config.json');

/** LM Studio's own default address. */
export const DEFAULT_LM_STUDIO_URL = 'http://127.0.0.1:1234';

/** The live process environment: later assignments (`process.env.X = …`) are seen. */
export function processEnvironment(): Environment {
  return process.env;
}

/** `SWITCHYARD_CONFIG_FILE`, else `.switchyard/cloud-config.json`, resolved against `cwd`. */
export function configFilePath(env: Environment, cwd: string = process.cwd()): string {
  return resolve(cwd, environmentValue(env, 'SWITCHYARD_CONFIG_FILE') ?? DEFAULT_CONFIG_FILE);
}

/** `LM_STUDIO_URL` (or `REACT_APP_LM_STUDIO_URL`), else LM Studio's default address. */
export function lmStudioUrl(env: Environment): string {
  return environmentValue(env, 'LM_STUDIO_URL') ?? DEFAULT_LM_STUDIO_URL;
}

/** `DEBUG` patterns that name our namespaces: the seed's `cloud-inference`, our `switchyard`, or `*`. */
const DEBUG_PATTERN = /^(switchyard|cloud-inference)(:\*|:.*)?$|^\*$/;

function matchesDebug(value: string | undefined | null): boolean {
  return (value ?? '').split(',').some((pattern) => DEBUG_PATTERN.test(pattern.trim()));
}

/** What a browser-style `localStorage` offers, as far as the debug switch reads it. */
interface DebugStorage {
  getItem(key: string): string | null;
}

function browserStorage(): DebugStorage | undefined {
  const storage = (globalThis as { localStorage?: unknown }).localStorage;
  if (typeof storage !== 'object' || storage === null) return undefined;
  return typeof (storage as DebugStorage).getItem === 'function'
    ? (storage as DebugStorage)
    : undefined;
}

/**
 * The seed's debug switches: `REACT_APP_DEBUG=true`, `DEBUG=cloud-inference:*` (or
 * `switchyard:*`), or `localStorage.debug` where a localStorage exists. Read on every call, so a
 * switch turned on after the services were created takes effect at once.
 */
export function debugEnabled(env: Environment): boolean {
  if (environmentValue(env, 'REACT_APP_DEBUG') === 'true') return true;
  if (matchesDebug(env.DEBUG)) return true;
  try {
    return matchesDebug(browserStorage()?.getItem('debug'));
  } catch {
    // A storage that refuses to be read (a browser's privacy mode) means no debug.
    return false;
  }
}
