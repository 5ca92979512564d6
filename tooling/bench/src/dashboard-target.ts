// Switchyard inside Next.js, as `pnpm start` serves it: the same REST proxy mounted at /v1/*,
// configured from a fresh embedded database into which the gateway's benchmark config is
// imported with the database package's `import` command, so both Switchyard targets route alike.
import { spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listeningPid } from './process-memory.ts';
import { freePort, startServerProcess, waitUntilAnswering } from './server-process.ts';
import {
  gatewayConfig,
  switchyardRequest,
  type BenchPaths,
  type MockPorts,
  type Started,
} from './targets.ts';
import { childEnvironment } from './env.ts';

/** `pnpm start` builds the dashboard first when it is not built yet; a cold Next.js build is slow. */
const START_TIMEOUT_MS = 6 * 60_000;
const IMPORT_TIMEOUT_MS = 2 * 60_000;

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The dashboard target, or why it cannot be measured on this checkout. */
export async function startDashboard(
  paths: BenchPaths,
  ports: MockPorts,
  log: (line: string) => void,
): Promise<Started | string> {
  const manifest = JSON.parse(await readFile(join(paths.repoRoot, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!manifest.scripts?.start) return 'the repository has no `pnpm start` script';
  if (!manifest.scripts?.['db:import'])
    return 'the repository has no `pnpm db:import` script to configure the dashboard with';
  try {
    await access(join(paths.repoRoot, 'apps/dashboard/src/app/v1'));
  } catch {
    return 'the dashboard does not mount the REST proxy at /v1/* yet';
  }

  const home = join(paths.workDir, 'dashboard-home');
  const configPath = join(paths.workDir, 'dashboard-config.json');
  await writeFile(configPath, JSON.stringify(gatewayConfig(ports), null, 2));
  // The embedded database of its own, even where DATABASE_URL points at a shared Postgres.
  const env = childEnvironment({ SWITCHYARD_HOME: home, SWITCHYARD_SEED_DEFAULTS: 'false' }, [
    'DATABASE_URL',
  ]);
  const imported = await run('pnpm', ['run', 'db:import', '--config', configPath], {
    cwd: paths.repoRoot,
    env,
    timeoutMs: IMPORT_TIMEOUT_MS,
  });
  if (imported.code !== 0)
    return `importing the benchmark config into its database failed: ${imported.output.trim().split('\n').slice(-3).join(' ')}`;

  const port = await freePort();
  log('  (pnpm start builds the dashboard first when needed; this can take minutes)');
  const server = startServerProcess({
    name: 'Switchyard via pnpm start',
    command: 'pnpm',
    args: ['start'],
    cwd: paths.repoRoot,
    env: { ...env, PORT: String(port) },
  });
  try {
    await waitUntilAnswering(server, `http://127.0.0.1:${port}/health`, START_TIMEOUT_MS);
  } catch (error) {
    await server.stop();
    throw error;
  }
  // pnpm and turbo sit between us and Next.js; memory is the server's, found by its port.
  const pid = (await listeningPid(port)) ?? server.pid;
  return {
    process: server,
    target: {
      id: 'switchyard-next',
      label: 'Switchyard via pnpm start (Next.js)',
      description:
        'pnpm start: the dashboard (next start) serving the REST proxy at /v1/*, embedded database, the same providers, routes and key imported with the db package import command',
      pid,
      request: switchyardRequest(port),
    },
  };
}
