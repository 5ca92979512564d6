// Child processes for everything under test: each server gets its own process (and event loop),
// is ready when it answers HTTP, and is stopped by its own pid at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpRequest } from 'node:http';
import { processTree } from './process-memory.ts';
import { childEnvironment } from './env.ts';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines the process printed (for error reports). */
  recentOutput(): string;
  /**
   * SIGTERM to the process and everything it started (a launcher such as pnpm may not pass
   * signals on), SIGKILL to what is left after `graceMs`; resolves when the process has exited.
   */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string')
    throw new Error('could not find a free port');
  return address.port;
}

export function startServerProcess(options: StartOptions): ServerProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? childEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined)
    throw new Error(`${options.name}: could not start ${options.command}`);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line);
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name: options.name,
    pid: child.pid,
    child,
    recentOutput: () => lines.join('\n'),
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const tree = await processTree(child.pid);
      const signal = (name: NodeJS.Signals) => {
        for (const pid of tree) killQuietly(pid, name);
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Children that outlived the launcher get the rest of the grace time, then SIGKILL.
      const deadline = Date.now() + graceMs;
      while (tree.slice(1).some(isAlive) && Date.now() < deadline) await sleep(100);
      for (const pid of tree.slice(1)) if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
    },
  };
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end();
  });
}

/** Waits until `url` answers any HTTP status, the process dies, or `timeoutMs` passes. */
export async function waitUntilAnswering(
  server: ServerProcess,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`${server.name} exited before it was ready:\n${server.recentOutput()}`);
    }
    try {
      await probe(url);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(
    `${server.name} did not answer ${url} within ${timeoutMs} ms:\n${server.recentOutput()}`,
  );
}

/** Waits for the first stdout line that parses as JSON (how the mock process reports its ports). */
export function firstJsonLine(server: ServerProcess, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () =>
        fail(
          new Error(
            `${server.name} printed no ready line within ${timeoutMs} ms:\n${server.recentOutput()}`,
          ),
        ),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (const line of buffer.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const value: unknown = JSON.parse(line);
          cleanup();
          resolve(value);
          return;
        } catch {
          // a partial line; wait for more
        }
      }
    };
    const onExit = () =>
      fail(new Error(`${server.name} exited before it was ready:\n${server.recentOutput()}`));
    const cleanup = () => {
      clearTimeout(timer);
      server.child.stdout?.off('data', onData);
      server.child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    server.child.stdout?.on('data', onData);
    server.child.once('exit', onExit);
  });
}
