// What `pnpm gateway` runs in production: the launcher compiles the gateway and the workspace
// packages it loads to plain JavaScript and starts it with the `switchyard-compiled` condition,
// so no TypeScript loader is in the process; a second start with nothing changed does not
// compile again.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const launcher = join(repositoryRoot, 'tooling/launch/launch.mjs');
let directory: string;
let configPath: string;
let upstream: OpenAIMock;

beforeAll(async () => {
  upstream = await startOpenAIMock({ apiKey: 'sk-upstream', models: ['m'] });
  directory = await mkdtemp(join(tmpdir(), 'switchyard-compiled-'));
  configPath = join(directory, 'gateway.json');
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        { id: 'p', name: 'P', type: 'openai', endpoint: upstream.url, apiKey: 'sk-upstream' },
      ],
      keys: [{ name: 'k', key: 'sk-sy-compiled-test-key-0001' }],
      enableHealthMonitoring: false,
    }),
  );
});
afterAll(async () => {
  await upstream.close();
  await rm(directory, { recursive: true, force: true });
});

/** Starts the gateway as the root script does; resolves once it printed its URL. */
function startThroughLauncher(): Promise<{
  child: ChildProcess;
  url: string;
  output: () => string;
}> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=switchyard-compiled',
      launcher,
      'gateway',
      '--config',
      configPath,
      '--port',
      '0',
    ],
    {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('the compiled gateway', () => {
  it('serves a completion with no TypeScript loader in its process, and is not compiled twice', async () => {
    const first = await startThroughLauncher();
    try {
      const answer = await fetch(`${first.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk-sy-compiled-test-key-0001',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(answer.status).toBe(200);
      const cmdline = await readFile(`/proc/${first.child.pid}/cmdline`, 'utf8');
      expect(cmdline.split('\0')).toContain('--conditions=switchyard-compiled');
      expect(cmdline).not.toContain('tsx');
      // Node 20 (this project's CI) cannot import a .ts file without a loader (ERR_UNKNOWN_FILE_EXTENSION), so the
      // answer above also shows that every module the process loaded was JavaScript.
    } finally {
      await stop(first.child);
    }
    const second = await startThroughLauncher();
    try {
      expect(second.output()).not.toContain('compiling the servers');
    } finally {
      await stop(second.child);
    }
  }, 180_000);
});
