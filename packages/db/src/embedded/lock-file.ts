// PGlite takes no lock, and two processes on one data directory silently lose each other's
// writes. The owner writes its pid into a lock file created with O_EXCL; a lock whose process is
// gone (a crash) is taken over.
import { hostname } from 'node:os';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { rmSync } from 'node:fs';

export class EmbeddedDatabaseLockedError extends Error {
  override readonly name = 'EmbeddedDatabaseLockedError';
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface LockFile {
  readonly path: string;
  release(): Promise<void>;
}

const heldInThisProcess = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number'
      ? { pid: owner.pid, host: owner.host ?? '', startedAt: owner.startedAt ?? '' }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A lock without an owner is one whose writer died between creating and writing it. */
async function unreadableForLong(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > 5_000;
  } catch {
    return true;
  }
}

function lockedMessage(path: string, owner: LockOwner | undefined, dataDirectory: string): string {
  const who = owner
    ? `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ''} (since ${owner.startedAt})`
    : 'another process';
  return (
    `The embedded database in ${dataDirectory} is in use by ${who}. ` +
    'Only one process can use the embedded database. To run several processes (the dashboard and a gateway, or several gateways), ' +
    'set DATABASE_URL to a PostgreSQL database and import the configuration there (pnpm db:export, then pnpm db:import --config <file>). ' +
    `If no Switchyard process is running, delete ${path}.`
  );
}

/** Takes the lock or throws `EmbeddedDatabaseLockedError` naming the owner and what to do instead. */
export async function acquireLock(path: string, dataDirectory: string): Promise<LockFile> {
  if (heldInThisProcess.has(path))
    throw new EmbeddedDatabaseLockedError(
      `The embedded database in ${dataDirectory} is already open in this process; share the one Database instead of opening it again.`,
    );
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
        await handle.sync();
      } finally {
        await handle.close();
      }
      heldInThisProcess.add(path);
      // A crash leaves the file behind (taken over next time); a normal exit removes it.
      const onExit = () => rmSync(path, { force: true });
      process.once('exit', onExit);
      return {
        path,
        async release() {
          process.removeListener('exit', onExit);
          heldInThisProcess.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await readOwner(path);
      const stale =
        owner === undefined
          ? await unreadableForLong(path)
          : owner.host === me.host && (owner.pid === process.pid || !isRunning(owner.pid));
      if (!stale) throw new EmbeddedDatabaseLockedError(lockedMessage(path, owner, dataDirectory));
      await rm(path, { force: true });
    }
  }
  throw new EmbeddedDatabaseLockedError(lockedMessage(path, await readOwner(path), dataDirectory));
}
