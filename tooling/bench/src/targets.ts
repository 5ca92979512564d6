// What is measured: the mock upstream called directly, a bare pass-through proxy, Switchyard's
// standalone gateway (in memory, and on Redis as in multi-instance mode), Switchyard inside
// Next.js (`pnpm start`), the Portkey gateway, and the translated-vendor pair: the Anthropic mock
// called directly and the gateway translating OpenAI Chat to it. Each runs in its own process; a target knows
// how to phrase the one benchmark request for itself.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as undiciRequest } from 'undici';
import type { BenchRequest } from './bench-request.ts';
import {
  firstJsonLine,
  freePort,
  startServerProcess,
  waitUntilAnswering,
  type ServerProcess,
} from './server-process.ts';
import {
  ANTHROPIC_MODEL,
  ANTHROPIC_VERSION,
  chatBody,
  GATEWAY_API_KEY,
  messagesBody,
  MOCK_API_KEY,
  UPSTREAM_MODEL,
  type Upstream,
} from './workload.ts';
import { childEnvironment } from './env.ts';

export type TargetId =
  | 'direct'
  | 'passthrough'
  | 'switchyard'
  | 'switchyard-redis'
  | 'switchyard-baseline'
  | 'switchyard-next'
  | 'portkey'
  | 'direct-anthropic'
  | 'switchyard-anthropic';

/**
 * Every target, in the order they are started; `switchyard-baseline` only with `--baseline`,
 * `switchyard-redis` only when asked for (`--redis`, or named in `--targets`).
 */
export const TARGET_IDS: readonly TargetId[] = [
  'direct',
  'passthrough',
  'switchyard',
  'switchyard-redis',
  'switchyard-baseline',
  'switchyard-next',
  'portkey',
  'direct-anthropic',
  'switchyard-anthropic',
];

/**
 * What a run measures unless told otherwise. The Redis-backed gateway is left out: a sixth
 * target measured in full would take the run past its ten-minute budget.
 */
export const DEFAULT_TARGET_IDS: readonly TargetId[] = TARGET_IDS.filter(
  (id) => id !== 'switchyard-baseline' && id !== 'switchyard-redis',
);

/**
 * The baseline target runs only when a baseline checkout is given, and then always. The Redis
 * target runs when named or with `--redis`, and always beside the in-memory gateway it is
 * compared with; the translated target always beside the direct call to its Anthropic mock.
 */
export function parseTargets(
  value: string | undefined,
  options: { baseline: boolean; redis: boolean },
): TargetId[] {
  const names =
    value === undefined ? [...DEFAULT_TARGET_IDS] : value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(TARGET_IDS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown target(s): ${unknown.join(', ')}`);
  const wanted = new Set(names as TargetId[]);
  if (options.baseline) wanted.add('switchyard-baseline');
  else wanted.delete('switchyard-baseline');
  if (options.redis) wanted.add('switchyard-redis');
  if (wanted.has('switchyard-redis')) wanted.add('switchyard');
  // The translated target's added latency is measured against the vendor it calls, called directly.
  if (wanted.has('switchyard-anthropic')) wanted.add('direct-anthropic');
  return TARGET_IDS.filter((id) => wanted.has(id));
}

export interface Target {
  id: TargetId;
  label: string;
  /** How it runs, for the results file. */
  description: string;
  /** The process (tree) whose memory and CPU time are reported. */
  pid: number;
  /** Processes that serve this target alone (its Redis): their CPU time counts toward it. */
  cpuPids?: readonly number[];
  /** `maxTokens` is the frame count asked of the tick upstream. */
  request(upstream: Upstream, stream: boolean, maxTokens?: number): BenchRequest;
}

export interface Started {
  target: Target;
  process: ServerProcess;
}

export interface MockPorts {
  fast: number;
  slow: number;
  /** The tick upstream (a numbered frame every 50 ms), OpenAI and Anthropic alike. */
  tick: number;
  anthropicFast: number;
  anthropicSlow: number;
}

/** The Anthropic mock's port for an upstream (the tick upstream speaks both APIs). */
export function anthropicPort(ports: MockPorts, upstream: Upstream): number {
  return upstream === 'fast'
    ? ports.anthropicFast
    : upstream === 'slow'
      ? ports.anthropicSlow
      : ports.tick;
}

/** Where the repository and this package live on disk. */
export interface BenchPaths {
  repoRoot: string;
  benchRoot: string;
  workDir: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const STARTUP_TIMEOUT_MS = 60_000;

function origin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function isMockPorts(value: unknown): value is MockPorts {
  const candidate = value as Partial<MockPorts> | null;
  return (['fast', 'slow', 'tick', 'anthropicFast', 'anthropicSlow'] as const).every(
    (name) => typeof candidate?.[name] === 'number',
  );
}

export async function startMockUpstream(
  paths: BenchPaths,
): Promise<{ process: ServerProcess; ports: MockPorts }> {
  const server = startServerProcess({
    name: 'mock upstream',
    command: process.execPath,
    args: ['--import', 'tsx', join(paths.benchRoot, 'src/servers/mock-upstream.ts')],
    cwd: paths.benchRoot,
  });
  const ports = await firstJsonLine(server, STARTUP_TIMEOUT_MS);
  if (!isMockPorts(ports))
    throw new Error(`mock upstream printed an unexpected ready line: ${JSON.stringify(ports)}`);
  return { process: server, ports };
}

export function directTarget(mock: ServerProcess, ports: MockPorts): Target {
  return {
    id: 'direct',
    label: 'direct to the mock',
    description: 'the load generator calls the mock upstream itself (no proxy)',
    pid: mock.pid,
    request: (upstream, stream, maxTokens) => ({
      origin: origin(ports[upstream]),
      path: '/v1/chat/completions',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${MOCK_API_KEY}` },
      body: chatBody(UPSTREAM_MODEL, stream, maxTokens),
      stream,
    }),
  };
}

/** The Anthropic mock called with the Messages API: what the translated target is compared with. */
export function directAnthropicTarget(mock: Pick<ServerProcess, 'pid'>, ports: MockPorts): Target {
  return {
    id: 'direct-anthropic',
    label: 'direct to the Anthropic mock',
    description:
      'the load generator calls the testkit Anthropic mock itself (Messages API, no proxy)',
    pid: mock.pid,
    request: (upstream, stream, maxTokens) => ({
      origin: origin(anthropicPort(ports, upstream)),
      path: '/v1/messages',
      headers: {
        ...JSON_HEADERS,
        'x-api-key': MOCK_API_KEY,
        'anthropic-version': ANTHROPIC_VERSION,
      },
      body: messagesBody(ANTHROPIC_MODEL, stream, maxTokens),
      stream,
      streamEnd: 'data: {"type":"message_stop"}',
    }),
  };
}

export async function startPassThrough(paths: BenchPaths, ports: MockPorts): Promise<Started> {
  const server = startServerProcess({
    name: 'pass-through proxy',
    command: process.execPath,
    args: [
      join(paths.benchRoot, 'src/servers/pass-through-proxy.mjs'),
      origin(ports.fast),
      origin(ports.slow),
      origin(ports.tick),
    ],
    cwd: paths.benchRoot,
  });
  const ready = (await firstJsonLine(server, STARTUP_TIMEOUT_MS)) as { port?: unknown };
  if (typeof ready.port !== 'number') throw new Error('pass-through proxy printed no port');
  const port = ready.port;
  return {
    process: server,
    target: {
      id: 'passthrough',
      label: 'bare pass-through proxy',
      description:
        'node:http in, undici Pool out, bytes piped, nothing parsed (the floor for a Node gateway)',
      pid: server.pid,
      request: (upstream, stream, maxTokens) => ({
        origin: origin(port),
        path: '/v1/chat/completions',
        headers: {
          ...JSON_HEADERS,
          authorization: `Bearer ${MOCK_API_KEY}`,
          ...(upstream !== 'fast' ? { 'x-bench-upstream': upstream } : {}),
        },
        body: chatBody(UPSTREAM_MODEL, stream, maxTokens),
        stream,
      }),
    },
  };
}

/**
 * The gateway's file-mode config: the instant mock behind two providers (so routing has a
 * primary and a fallback to order), the slow mock behind a third, the tick upstream behind a
 * fourth, a route for each, the same three upstreams as Anthropic providers with routes
 * `anthropic-<upstream>` (the translated-vendor target), and one client key.
 */
export function gatewayConfig(ports: MockPorts): Record<string, unknown> {
  const provider = (id: string, name: string, port: number) => ({
    id,
    name,
    type: 'openai-compatible',
    endpoint: `${origin(port)}/v1`,
    apiKey: MOCK_API_KEY,
    models: [{ name: UPSTREAM_MODEL, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 }],
  });
  const anthropic = (id: string, name: string, port: number) => ({
    id,
    name,
    type: 'anthropic',
    endpoint: origin(port),
    apiKey: MOCK_API_KEY,
    models: [{ name: ANTHROPIC_MODEL, inputPricePerMTok: 1, outputPricePerMTok: 5 }],
  });
  return {
    providers: [
      provider('mock-fast', 'Mock upstream (answers at once)', ports.fast),
      provider('mock-fast-backup', 'Mock upstream (answers at once), fallback', ports.fast),
      provider('mock-slow', 'Mock upstream (50 ms)', ports.slow),
      provider('mock-tick', 'Tick upstream (a frame every 50 ms)', ports.tick),
      anthropic('anthropic-fast', 'Anthropic mock (answers at once)', ports.anthropicFast),
      anthropic('anthropic-slow', 'Anthropic mock (50 ms)', ports.anthropicSlow),
      anthropic('anthropic-tick', 'Tick upstream, Anthropic API', ports.tick),
    ],
    routes: [
      {
        name: 'bench-fast',
        targets: [
          { provider: 'mock-fast', model: UPSTREAM_MODEL },
          { provider: 'mock-fast-backup', model: UPSTREAM_MODEL },
        ],
      },
      { name: 'bench-slow', targets: [{ provider: 'mock-slow', model: UPSTREAM_MODEL }] },
      { name: 'bench-tick', targets: [{ provider: 'mock-tick', model: UPSTREAM_MODEL }] },
      ...(['fast', 'slow', 'tick'] as const).map((upstream) => ({
        name: `anthropic-${upstream}`,
        targets: [{ provider: `anthropic-${upstream}`, model: ANTHROPIC_MODEL }],
      })),
    ],
    keys: [{ name: 'benchmark client', key: GATEWAY_API_KEY }],
  };
}

/** OpenAI Chat to the gateway, on the route to the OpenAI-compatible mock or (`anthropic`) the Anthropic one. */
export function switchyardRequest(port: number, vendor: 'openai' | 'anthropic' = 'openai') {
  const prefix = vendor === 'anthropic' ? 'anthropic' : 'bench';
  return (upstream: Upstream, stream: boolean, maxTokens?: number): BenchRequest => ({
    origin: origin(port),
    path: '/v1/chat/completions',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${GATEWAY_API_KEY}` },
    body: chatBody(`${prefix}-${upstream}`, stream, maxTokens),
    stream,
  });
}

/**
 * The standalone gateway of this checkout, or with `baseline` of another one (an earlier commit,
 * installed), measured the same way in the same run: the before and after of a change.
 */
export async function startSwitchyard(
  paths: BenchPaths,
  ports: MockPorts,
  options: {
    profileDir?: string | undefined;
    baseline?: { root: string; revision: string };
    /** Multi-instance mode: the gateway's state store is this Redis (REDIS_URL). */
    redis?: { url: string; pid: number };
    /** The translated-vendor target: clients speak OpenAI Chat, the gateway calls the Anthropic mock. */
    translated?: boolean;
  },
): Promise<Started> {
  const { baseline, redis, translated } = options;
  const root = baseline?.root ?? paths.repoRoot;
  const name = baseline
    ? 'baseline'
    : redis
      ? 'gateway-redis'
      : translated
        ? 'gateway-anthropic'
        : 'gateway';
  const configPath = join(paths.workDir, `${name}-config.json`);
  await writeFile(configPath, JSON.stringify(gatewayConfig(ports), null, 2));
  const port = await freePort();
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const server = startServerProcess({
    name: 'Switchyard gateway',
    command: process.execPath,
    args: [
      ...profile,
      ...(await gatewayEntry(root)),
      '--config',
      configPath,
      '--port',
      String(port),
      '--request-log',
      join(paths.workDir, `${name}-requests.jsonl`),
    ],
    cwd: root,
    // Without REDIS_URL the gateway keeps its state in memory, whatever the caller's environment says.
    env: childEnvironment(
      {
        LOG_LEVEL: 'info',
        SWITCHYARD_SHUTDOWN_GRACE_SECONDS: '2',
        ...(redis ? { REDIS_URL: redis.url } : {}),
      },
      redis ? ['REDIS_CLUSTER_NODES'] : ['REDIS_URL', 'REDIS_CLUSTER_NODES'],
    ),
  });
  await waitUntilAnswering(server, `${origin(port)}/health`, STARTUP_TIMEOUT_MS);
  if (redis) await waitUntilStateStoreUp(server, port, STARTUP_TIMEOUT_MS);
  return {
    process: server,
    target: {
      id: baseline
        ? 'switchyard-baseline'
        : redis
          ? 'switchyard-redis'
          : translated
            ? 'switchyard-anthropic'
            : 'switchyard',
      label: baseline
        ? `Switchyard gateway at ${baseline.revision}`
        : redis
          ? 'Switchyard gateway on Redis'
          : translated
            ? 'Switchyard gateway, OpenAI Chat → Anthropic mock'
            : 'Switchyard gateway',
      description: `${baseline ? `${baseline.root}: ` : ''}apps/gateway (pnpm gateway --config): file mode, routes, key auth, metrics, request log to a JSONL file${
        redis
          ? `; REDIS_URL=${redis.url}, a redis-server started by the benchmark (its CPU time counts toward this target)`
          : translated
            ? '; clients speak OpenAI Chat, the routes lead to the Anthropic mock (Messages API): the translation both ways is on the request path'
            : ''
      }`,
      pid: server.pid,
      ...(redis ? { cpuPids: [redis.pid] } : {}),
      request: switchyardRequest(port, translated ? 'anthropic' : 'openai'),
    },
  };
}

const compiledCheckouts = new Map<string, Promise<boolean>>();

/**
 * How to run a checkout's gateway: its compiled build (as `pnpm gateway` runs it), compiled
 * once per bench run; a checkout from before compiled builds runs its sources through tsx.
 */
async function gatewayEntry(root: string): Promise<string[]> {
  const compiler = join(root, 'tooling/launch/compile.mjs');
  let compiled = compiledCheckouts.get(root);
  if (!compiled) {
    compiled = stat(compiler).then(
      () =>
        new Promise<boolean>((resolve, reject) => {
          const child = spawn(process.execPath, [compiler], { cwd: root, stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', (code) =>
            code === 0 ? resolve(true) : reject(new Error(`${compiler} exited with ${code}`)),
          );
        }),
      () => false,
    );
    compiledCheckouts.set(root, compiled);
  }
  return (await compiled)
    ? ['--conditions=switchyard-compiled', join(root, 'apps/gateway/compiled/cli.mjs')]
    : ['--import', 'tsx', join(root, 'apps/gateway/src/cli.ts')];
}

/** The gateway said on /metrics that its Redis state store is connected. */
async function waitUntilStateStoreUp(
  server: ServerProcess,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const { statusCode, body } = await undiciRequest(`${origin(port)}/metrics`, {
      headers: { authorization: `Bearer ${GATEWAY_API_KEY}` },
    });
    last = await body.text();
    if (statusCode === 200 && /^switchyard_state_store_up\{store="redis"\} 1$/m.test(last)) return;
    await sleep(100);
  }
  throw new Error(
    `${server.name} did not report its Redis state store up within ${timeoutMs} ms (/metrics: ${
      /^switchyard_state_store_up.*$/m.exec(last)?.[0] ?? 'no state-store gauge'
    }):\n${server.recentOutput()}`,
  );
}

function portkeyEntry(): string {
  const require = createRequire(import.meta.url);
  return join(
    dirname(require.resolve('@portkey-ai/gateway/package.json')),
    'build/start-server.js',
  );
}

export function portkeyVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@portkey-ai/gateway/package.json') as { version: string }).version;
}

export async function startPortkey(
  paths: BenchPaths,
  ports: MockPorts,
  options: { streamFix: boolean },
): Promise<Started> {
  const port = await freePort();
  const fix = options.streamFix
    ? ['--import', join(paths.benchRoot, 'src/servers/portkey-stream-fix.mjs')]
    : [];
  const server = startServerProcess({
    name: options.streamFix ? 'Portkey gateway (with the local stream fix)' : 'Portkey gateway',
    command: process.execPath,
    args: [...fix, portkeyEntry(), '--headless', `--port=${port}`],
    cwd: paths.benchRoot,
  });
  await waitUntilAnswering(server, `${origin(port)}/`, STARTUP_TIMEOUT_MS);
  return {
    process: server,
    target: {
      id: 'portkey',
      label: options.streamFix ? 'Portkey gateway*' : 'Portkey gateway',
      description: `@portkey-ai/gateway ${portkeyVersion()} from npm (node build/start-server.js --headless), custom host = the mock${
        options.streamFix
          ? '; * with the benchmark-only fix that lets its streams work on Node 20 (src/servers/portkey-stream-fix.mjs)'
          : ''
      }`,
      pid: server.pid,
      request: (upstream, stream, maxTokens) => ({
        origin: origin(port),
        path: '/v1/chat/completions',
        headers: {
          ...JSON_HEADERS,
          authorization: `Bearer ${MOCK_API_KEY}`,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${origin(ports[upstream])}/v1`,
        },
        body: chatBody(UPSTREAM_MODEL, stream, maxTokens),
        stream,
      }),
    },
  };
}
