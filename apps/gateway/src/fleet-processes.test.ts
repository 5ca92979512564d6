// Three `pnpm gateway` processes on one Redis (started here, on a free port), as an operator
// runs them behind a load balancer: a key's per-minute limit holds for the fleet, and a circuit one
// process opened is seen by the other two within a second.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  noRedisServer,
  startOpenAIMock,
  startTestRedis,
  type OpenAIMock,
  type TestRedis,
} from '@switchyard/testkit';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const LIMITED_KEY = 'sk-sy-fleet-process-limited-01';
const OPEN_KEY = 'sk-sy-fleet-process-unlimited-1';

interface GatewayProcess {
  child: ChildProcess;
  url: string;
}

let directory: string;
let redis: TestRedis;
let primary: OpenAIMock;
let backup: OpenAIMock;
let fleet: GatewayProcess[] = [];

beforeAll(async () => {
  [redis, primary, backup] = await Promise.all([
    startTestRedis(),
    startOpenAIMock(),
    startOpenAIMock(),
  ]);
  directory = await mkdtemp(join(tmpdir(), 'switchyard-fleet-'));
  const configPath = join(directory, 'gateway.json');
  const model = { name: 'chat', id: 'gpt-4o-mini' };
  await writeFile(
    configPath,
    JSON.stringify({
      providers: [
        {
          id: 'flaky',
          name: 'Flaky',
          type: 'openai',
          endpoint: primary.url,
          apiKey: 'k',
          priority: 1,
          models: [model],
        },
        {
          id: 'steady',
          name: 'Steady',
          type: 'openai',
          endpoint: backup.url,
          apiKey: 'k',
          priority: 2,
          models: [model],
        },
      ],
      keys: [
        { name: 'limited', key: LIMITED_KEY, limits: { requestsPerMinute: 30 } },
        { name: 'unlimited', key: OPEN_KEY },
      ],
      circuitBreaker: { consecutiveFailures: 2, cooldownMs: 60_000, maxCooldownMs: 60_000 },
      enableHealthMonitoring: false,
    }),
  );
  fleet = await Promise.all([0, 1, 2].map(() => startGateway(configPath)));
}, 60_000);

afterAll(async () => {
  await Promise.all(fleet.map(({ child }) => stopProcess(child)));
  await Promise.all([primary.close(), backup.close(), redis.stop()]);
  await rm(directory, { recursive: true, force: true });
});

/** Starts one gateway process; resolves once it listens and its Redis connection is up. */
function startGateway(configPath: string): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--config', configPath, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info', REDIS_URL: redis.url, REDIS_CLUSTER_NODES: '' },
    },
  );
  return new Promise((resolve, reject) => {
    let url: string | undefined;
    let connected = false;
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start within 45 s: ${buffered.slice(-2_000)}`));
    }, 45_000);
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}: ${buffered}`)));
    child.stderr.on('data', (chunk: Buffer) => (buffered += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        if (line.includes('Switchyard gateway listening'))
          url = (JSON.parse(line) as { url: string }).url;
        if (line.includes('state store connected: redis')) connected = true;
      }
      if (url !== undefined && connected) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

async function ask(gateway: GatewayProcess, key: string): Promise<Response> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.arrayBuffer();
  return response;
}

async function circuitOf(gateway: GatewayProcess, provider: string): Promise<string | undefined> {
  const response = await fetch(`${gateway.url}/health/providers`, {
    headers: { authorization: `Bearer ${OPEN_KEY}` },
  });
  const providers = (await response.json()) as Array<{ providerId: string; circuitState: string }>;
  return providers.find((entry) => entry.providerId === provider)?.circuitState;
}

describe.skipIf(noRedisServer)('three gateway processes on one Redis', () => {
  it('admit exactly 30 of 60 requests for a key limited to 30 per minute, spread round-robin', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, index) => ask(fleet[index % 3]!, LIMITED_KEY)),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(30);
    expect(refused).toHaveLength(30);
    for (const answer of refused) {
      const retryAfter = Number(answer.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it('skip a provider whose circuit one process opened, on the other two within a second', async () => {
    const [first, ...others] = fleet;
    primary.setFault({ kind: 'server-error' });
    try {
      for (let index = 0; index < 10 && (await circuitOf(first!, 'flaky')) !== 'open'; index++)
        expect((await ask(first!, OPEN_KEY)).status).toBe(200);
      expect(await circuitOf(first!, 'flaky')).toBe('open');
      const opened = Date.now();
      let seenBy: string[] = [];
      while (Date.now() - opened < 1_000) {
        seenBy = await Promise.all(others.map((gateway) => circuitOf(gateway, 'flaky'))).then(
          (states) => states.filter((state): state is string => state === 'open'),
        );
        if (seenBy.length === others.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seenBy).toEqual(['open', 'open']);
      const reached = primary.requests.length;
      for (const gateway of others) {
        const answer = await ask(gateway, OPEN_KEY);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('x-switchyard-provider')).toBe('steady');
      }
      expect(primary.requests.length).toBe(reached);
    } finally {
      primary.setFault(null);
    }
  });
});
