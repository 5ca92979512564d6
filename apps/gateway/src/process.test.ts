// The gateway process as an operator's supervisor sees it: a port in use ends the start with a
// clear message and exit code 1; SIGTERM ends the process even after whoever read its output has
// gone (closed pipes).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let directory: string;
let configPath: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-process-'));
  configPath = join(directory, 'gateway.json');
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        { id: 'p', name: 'P', type: 'openai', endpoint: 'http://127.0.0.1:9', apiKey: 'k' },
      ],
      enableHealthMonitoring: false,
    }),
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function startGateway(port: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--config', configPath, '--port', String(port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Resolves with the process's exit code, or 'still running' after `ms`. */
function within(
  exited: Promise<number | null>,
  ms: number,
): Promise<number | null | 'still running'> {
  return Promise.race([
    exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ]);
}

describe('the gateway process', () => {
  it('says the port is in use and exits 1', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    const { child, exited } = startGateway(port);
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    try {
      expect(await within(exited, 20_000)).toBe(1);
      expect(errors).toContain(`port ${port} is already in use`);
    } finally {
      child.kill('SIGKILL');
      taken.close();
    }
  });

  it('exits on SIGTERM after its output pipes were closed', async () => {
    const { child, exited } = startGateway(0);
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(
          () => reject(new Error(`gateway did not start: ${output}`)),
          20_000,
        );
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Switchyard gateway listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // The reader goes away (a supervisor restarted, a terminal closed): the pipes close.
      child.stdout.destroy();
      child.stderr.destroy();
      child.kill('SIGTERM');
      expect(await within(exited, 15_000)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
