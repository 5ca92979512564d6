import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { defaultDefinitions } from '@switchyard/adapters';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../testkit/recording-logger.ts';
import { createRepositories } from '../repositories/index.ts';
import { SecretKeyError } from '../secrets/secret-box.ts';
import { openEmbeddedDatabase } from './open-embedded.ts';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const databaseModule = fileURLToPath(new URL('../database.ts', import.meta.url));
const repositoriesModule = fileURLToPath(new URL('../repositories/index.ts', import.meta.url));
const adaptersModule = createRequire(import.meta.url).resolve('@switchyard/adapters');

/** Runs a script in a separate Node process (as another gateway or a crashed one would be). */
function runProcess(
  home: string,
  script: string,
  onLine?: (line: string, kill: () => void) => void,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: packageDirectory,
    env: { ...process.env, SWITCHYARD_HOME: home, DATABASE_URL: '', SWITCHYARD_SECRET_KEY: '' },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (onLine)
      for (const line of chunk.toString().split('\n'))
        if (line) onLine(line, () => child.kill('SIGKILL'));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
}

describe('embedded database (PGlite under SWITCHYARD_HOME)', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-home-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('creates the database and a 0600 secret key on first run, saying where, and keeps data across restarts', async () => {
    const { lines, logger } = recordingLogger();
    const first = await openEmbeddedDatabase({ home, migrate: true, logger });
    try {
      await createRepositories(first, { definitions: defaultDefinitions, logger }).providers.create(
        { id: 'local', name: 'LM Studio (local)', type: 'lmstudio', apiKey: 'lm-key' },
        { via: 'system' },
      );
    } finally {
      await first.close();
    }
    expect(lines.join('\n')).toContain(
      `Created a secret key for provider credentials at ${join(home, 'secret.key')}`,
    );
    expect(lines.join('\n')).toContain(`Created the embedded database in ${join(home, 'pgdata')}`);
    expect((await stat(join(home, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await readdir(home)).sort()).toEqual(['pgdata', 'secret.key']);

    const restarted = await openEmbeddedDatabase({ home, migrate: true, logger });
    try {
      expect(
        await createRepositories(restarted, {
          definitions: defaultDefinitions,
          logger,
        }).providers.list(),
      ).toMatchObject([{ id: 'local', hasApiKey: true }]);
    } finally {
      await restarted.close();
    }
  });

  it('gives a second process a clear message to use Postgres', async () => {
    const { logger } = recordingLogger();
    const owner = await openEmbeddedDatabase({ home, migrate: true, logger });
    try {
      const second = await runProcess(
        home,
        `import { openDatabase } from ${JSON.stringify(databaseModule)};
         try { await openDatabase(); console.log('opened'); process.exit(0); }
         catch (error) { console.log(error.name + ': ' + error.message); process.exit(3); }`,
      );
      expect(second.code).toBe(3);
      expect(second.output).toContain(
        `EmbeddedDatabaseLockedError: The embedded database in ${join(home, 'pgdata')} is in use by process ${process.pid}`,
      );
      expect(second.output).toContain('set DATABASE_URL to a PostgreSQL database');
    } finally {
      await owner.close();
    }
  });

  it('keeps committed data when the owning process is killed, and the next start takes over', async () => {
    const crashed = await runProcess(
      home,
      `import { openDatabase } from ${JSON.stringify(databaseModule)};
       import { createRepositories } from ${JSON.stringify(repositoriesModule)};
       import { defaultDefinitions } from ${JSON.stringify(adaptersModule)};
       const db = await openDatabase();
       await createRepositories(db, { definitions: defaultDefinitions }).providers.create({ id: 'written-before-crash', name: 'W', type: 'ollama' }, { via: 'system' });
       console.log('committed');
       setInterval(() => {}, 1000);`,
      (line, kill) => {
        if (line.includes('committed')) kill();
      },
    );
    expect(crashed.signal).toBe('SIGKILL');
    const { logger } = recordingLogger();
    const recovered = await openEmbeddedDatabase({ home, migrate: true, logger });
    try {
      expect(
        (
          await createRepositories(recovered, {
            definitions: defaultDefinitions,
            logger,
          }).providers.list()
        ).map((provider) => provider.id),
      ).toContain('written-before-crash');
    } finally {
      await recovered.close();
    }
  });

  it('refuses to start with another secret key instead of reading garbage', async () => {
    const { logger } = recordingLogger();
    await expect(
      openEmbeddedDatabase({
        home,
        migrate: true,
        logger,
        secretKey: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
      }),
    ).rejects.toThrow(SecretKeyError);
    // The failed start released the lock.
    await (await openEmbeddedDatabase({ home, migrate: true, logger })).close();
  });
});
