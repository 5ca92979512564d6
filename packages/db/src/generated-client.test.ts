import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const committed = join(packageDirectory, 'src', 'generated', 'prisma');

async function files(directory: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    result.set(relative(directory, path), await readFile(path, 'utf8'));
  }
  return result;
}

describe('the committed Prisma client', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'switchyard-generate-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('is what `prisma generate` makes offline from the current schema (else run pnpm db:generate)', async () => {
    await cp(
      join(packageDirectory, 'prisma', 'schema.prisma'),
      join(scratch, 'prisma', 'schema.prisma'),
      { recursive: true },
    );
    const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
    await run(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
      cwd: scratch,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
        CHECKPOINT_DISABLE: '1',
        DATABASE_URL: '',
      },
    });
    const fresh = await files(join(scratch, 'src', 'generated', 'prisma'));
    const current = await files(committed);
    expect([...current.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, text] of fresh) expect(current.get(path), path).toBe(text);
  });
});
