// The Redis behind the `switchyard-redis` target: a redis-server of its own on a free 127.0.0.1
// port, without persistence (as the README's sizing notes allow for limits), stopped with the
// other servers at the end of the run.
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { findOnPath } from './env.ts';
import { freePort, startServerProcess, type ServerProcess } from './server-process.ts';

const STARTUP_TIMEOUT_MS = 10_000;

export interface BenchRedis {
  process: ServerProcess;
  url: string;
}

/** A running redis-server, or why there is none (not installed, did not listen). */
export async function startRedisServer(cwd: string): Promise<BenchRedis | string> {
  const command = findOnPath('redis-server');
  if (!command) return 'redis-server is not installed (Debian: apt-get install redis-server)';
  const port = await freePort();
  const server = startServerProcess({
    name: 'redis-server',
    command,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    cwd,
  });
  try {
    await waitUntilListening(server, port, STARTUP_TIMEOUT_MS);
  } catch (error) {
    await server.stop();
    return error instanceof Error ? error.message : String(error);
  }
  return { process: server, url: `redis://127.0.0.1:${port}` };
}

/** Redis speaks no HTTP, so readiness is a TCP connection accepted. */
async function waitUntilListening(
  server: ServerProcess,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(`redis-server exited before it was ready:\n${server.recentOutput()}`);
    if (await accepts(port)) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
