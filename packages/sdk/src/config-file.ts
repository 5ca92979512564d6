// The persisted CloudConfig: read once at start, rewritten whole after each change. Writes go to a
// temporary file that is renamed over the old one, so a crash never leaves half a file; the file
// is readable by its owner only, as it may hold the API keys a user added.
import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '@switchyard/core';
import type { CloudConfigSettings, CloudProvider } from './seed-types.ts';

/** The file's content: providers the user added or changed, and the global options they set. */
export type StoredConfig = CloudConfigSettings & { providers: CloudProvider[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The stored config, or an empty one when the file does not exist yet. */
export function readConfigFile(path: string): StoredConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { providers: [] };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      [{ path: '', message: `not valid JSON (${(error as Error).message})` }],
      path,
    );
  }
  if (!isRecord(parsed))
    throw new ConfigError([{ path: '', message: 'must be a JSON object' }], path);
  const providers = parsed.providers ?? [];
  if (!Array.isArray(providers))
    throw new ConfigError([{ path: 'providers', message: 'must be an array' }], path);
  return { ...parsed, providers: providers as CloudProvider[] };
}

/** Replaces the file atomically (temporary file + rename), mode 0600. */
export function writeConfigFile(path: string, config: StoredConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync is masked by the umask; the file must still be 0600.
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was left behind.
    }
    throw error;
  }
}
