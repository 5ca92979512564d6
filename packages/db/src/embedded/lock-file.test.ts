import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, EmbeddedDatabaseLockedError } from './lock-file.ts';

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('embedded database lock file', () => {
  let home: string;
  let path: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-lock-'));
    path = join(home, 'embedded.lock');
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('records the owner and is released on close', async () => {
    const lock = await acquireLock(path, home);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    await lock.release();
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
    await (await acquireLock(path, home)).release();
  });

  it('refuses a second owner in the same process', async () => {
    const lock = await acquireLock(path, home);
    try {
      await expect(acquireLock(path, home)).rejects.toThrow('already open in this process');
    } finally {
      await lock.release();
    }
  });

  it('tells another process to use Postgres while the owner runs', async () => {
    await writeFile(
      path,
      JSON.stringify({
        pid: process.ppid,
        host: hostname(),
        startedAt: '2025-01-01T00:00:00.000Z',
      }),
    );
    const attempt = acquireLock(path, join(home, 'pgdata'));
    await expect(attempt).rejects.toThrow(EmbeddedDatabaseLockedError);
    await expect(attempt).rejects.toThrow(`is in use by process ${process.ppid} on ${hostname()}`);
    await expect(attempt).rejects.toThrow('set DATABASE_URL to a PostgreSQL database');
  });

  it('takes over the lock of a process that died without releasing it', async () => {
    await writeFile(
      path,
      JSON.stringify({
        pid: await exitedPid(),
        host: hostname(),
        startedAt: '2025-01-01T00:00:00.000Z',
      }),
    );
    const lock = await acquireLock(path, home);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});
