// wrk (Debian's `wrk`) as the closed-loop maximum-throughput driver: found on PATH, installed
// with apt-get when running as root, or reported missing so the undici driver takes over.
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { BenchRequest } from './bench-request.ts';
import type { ThroughputResult } from './closed-loop.ts';
import { childEnvironment, findOnPath } from './env.ts';

export interface WrkSummary {
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  socketErrors: number;
  latencyUs?: { p50: number; p90: number; p99: number };
}

/** The wrk executable, installing Debian's package when allowed; undefined when it cannot be had. */
export function findWrk(options: {
  install: boolean;
  log: (line: string) => void;
}): string | undefined {
  const found = findOnPath('wrk');
  if (found || !options.install) return found;
  if (process.getuid?.() !== 0 || !findOnPath('apt-get')) {
    options.log('wrk is not installed and cannot be installed here (needs root and apt-get)');
    return undefined;
  }
  options.log('installing wrk with apt-get ...');
  const env = childEnvironment({ DEBIAN_FRONTEND: 'noninteractive' });
  let install = spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], {
    stdio: 'ignore',
    env,
    timeout: 180_000,
  });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 180_000 });
    install = spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], {
      stdio: 'ignore',
      env,
      timeout: 180_000,
    });
  }
  return findOnPath('wrk');
}

export function wrkVersion(wrk: string): string {
  const output = spawnSync(wrk, ['--version'], { encoding: 'utf8' });
  const text = `${output.stdout}${output.stderr}`;
  return /^wrk\s+(\S+)/m.exec(text)?.[1] ?? 'unknown';
}

/** The Lua script that makes wrk send `request` (long brackets keep the JSON unescaped). */
export function wrkScript(request: BenchRequest): string {
  const quote = (value: string) => `[==[${value}]==]`;
  const lines = ['wrk.method = "POST"', `wrk.body = ${quote(request.body)}`];
  for (const [name, value] of Object.entries(request.headers))
    lines.push(`wrk.headers[ ${quote(name)} ] = ${quote(value)}`);
  return `${lines.join('\n')}\n`;
}

const UNIT_TO_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000 };

function durationUs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  return match ? Number(match[1]) * UNIT_TO_US[match[2]!]! : Number.NaN;
}

export function parseWrkOutput(output: string): WrkSummary {
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s*(\d+) requests in /m.exec(output);
  if (!rate || !total) throw new Error(`unexpected wrk output:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const socketErrors = socket
    ? socket.slice(1, 5).reduce((sum, value) => sum + Number(value), 0)
    : 0;
  const distribution = (p: number) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(output);
    return match ? durationUs(match[1]!) : Number.NaN;
  };
  const summary: WrkSummary = {
    requests: Number(total[1]),
    requestsPerSecond: Number(rate[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors,
  };
  if (/Latency Distribution/.test(output))
    summary.latencyUs = { p50: distribution(50), p90: distribution(90), p99: distribution(99) };
  return summary;
}

export async function runWrk(
  wrk: string,
  request: BenchRequest,
  options: { connections: number; durationMs: number; threads: number; scriptPath: string },
): Promise<ThroughputResult> {
  await writeFile(options.scriptPath, wrkScript(request));
  const seconds = Math.max(1, Math.round(options.durationMs / 1000));
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    options.scriptPath,
    `${request.origin}${request.path}`,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`)),
    );
  });
  const summary = parseWrkOutput(output);
  const errors = summary.non2xx + summary.socketErrors;
  const errorMessages: Record<string, number> = {};
  if (summary.non2xx > 0) errorMessages['non-2xx answers'] = summary.non2xx;
  if (summary.socketErrors > 0) errorMessages['socket errors'] = summary.socketErrors;
  return {
    driver: 'wrk',
    // wrk's rate counts every answer; keep only the good ones.
    requestsPerSecond:
      summary.requests > 0
        ? (summary.requestsPerSecond * Math.max(0, summary.requests - summary.non2xx)) /
          summary.requests
        : 0,
    completed: Math.max(0, summary.requests - summary.non2xx),
    errors,
    errorMessages,
    durationMs: seconds * 1000,
    ...(summary.latencyUs ? { latencyUs: summary.latencyUs } : {}),
  };
}
