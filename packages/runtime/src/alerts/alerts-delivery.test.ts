// Database mode, end to end: a provider going down and recovering, a circuit opening and a key
// crossing 80 % and 100 % of its budget each reach a local webhook receiver, signed; a receiver
// answering 500 gets the delivery again after the backoff.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { createRepositories, type Repositories } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '../runtime.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  payload: { event: string; text: string; [field: string]: unknown };
}

/** A webhook receiver: records every request, answers the queued statuses first, then 204. */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, body, payload: JSON.parse(body) as never });
      response.statusCode = statuses.shift() ?? 204;
      response.end(response.statusCode >= 400 ? 'receiver broke' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/switchyard`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An upstream whose health the test switches: up answers 200, down 503. */
async function startSwitchableUpstream() {
  const state = { up: true };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      if (state.up) response.end(JSON.stringify({ object: 'list', data: [] }));
      else {
        response.statusCode = 503;
        response.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 8_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const actor = { via: 'system' as const };
const SECRET = 'whsec-test';

let priced: OpenAIMock;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let upstream: Awaited<ReturnType<typeof startSwitchableUpstream>>;

beforeAll(async () => {
  [priced, receiver, upstream] = await Promise.all([
    startOpenAIMock(),
    startReceiver(),
    startSwitchableUpstream(),
  ]);
});
afterAll(async () => {
  await Promise.all([priced.close(), receiver.close(), upstream.close()]);
  await closeHttpAgent();
});

describe.each(testBackends())('webhook alerts on %s', (backend) => {
  let test: TestDatabase;
  let repositories: Repositories;
  let runtime: GatewayRuntime;

  const events = (name: string) => receiver.received.filter((item) => item.payload.event === name);

  beforeAll(async () => {
    receiver.received.length = 0;
    test = await openTestDatabase(backend);
    repositories = createRepositories(test.db, { definitions: defaultDefinitions });
    await repositories.providers.create(
      { id: 'flaky', name: 'Flaky', type: 'openai', endpoint: upstream.url, apiKey: 'k' },
      actor,
    );
    await repositories.providers.create(
      {
        id: 'priced',
        name: 'Priced',
        type: 'openai',
        endpoint: priced.url,
        apiKey: 'k',
        models: [{ name: 'gpt-test', inputPricePerMTok: 100_000, outputPricePerMTok: 100_000 }],
      },
      actor,
    );
    await repositories.routes.upsert(
      { name: 'chat', targets: [{ provider: 'priced', model: 'gpt-test', weight: 1 }] },
      actor,
    );
    await repositories.alerts.createWebhook(
      { name: 'receiver', url: receiver.url, secret: SECRET },
      actor,
    );
    runtime = await createGatewayRuntime({
      db: test.db,
      monitorHealth: false,
      environment: {},
      alerts: {
        pollIntervalMs: 50,
        backoff: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 200 },
      },
    });
  });

  afterAll(async () => {
    await runtime?.close();
    await test?.close();
  });

  it('tells the webhook when a provider goes down and when it recovers, signed', async () => {
    upstream.state.up = true;
    expect((await runtime.gateway.testProvider('flaky')).ok).toBe(true);
    upstream.state.up = false;
    expect((await runtime.gateway.testProvider('flaky')).ok).toBe(false);
    const [down] = await until(
      () => (events('provider.down').length > 0 ? events('provider.down') : undefined),
      'provider.down',
    );
    expect(down?.payload).toMatchObject({ event: 'provider.down', provider: 'flaky' });
    expect(down?.payload.text).toMatch(/^Switchyard: provider flaky is down/);
    const timestamp = Number(down?.headers['x-switchyard-timestamp']);
    const signature = String(down?.headers['x-switchyard-signature']);
    expect(verifyWebhookSignature(down?.body ?? '', SECRET, timestamp, signature)).toBe(true);
    expect(down?.headers['content-type']).toBe('application/json');
    expect(down?.headers['x-switchyard-event']).toBe('provider.down');

    upstream.state.up = true;
    expect((await runtime.gateway.testProvider('flaky')).ok).toBe(true);
    const [up] = await until(
      () => (events('provider.up').length > 0 ? events('provider.up') : undefined),
      'provider.up',
    );
    expect(up?.payload.text).toBe('Switchyard: provider flaky has recovered');
    // Only the transitions: a healthy start and repeated results raise nothing.
    expect(events('provider.down')).toHaveLength(1);
  });

  it('tells the webhook when a circuit opens', async () => {
    for (let failures = 0; failures < 50; failures++) {
      if (runtime.gateway.circuits.state('flaky') === 'open') break;
      runtime.gateway.circuits.onFailure('flaky', undefined, 'server');
    }
    expect(runtime.gateway.circuits.state('flaky')).toBe('open');
    const [open] = await until(
      () => (events('circuit.open').length > 0 ? events('circuit.open') : undefined),
      'circuit.open',
    );
    expect(open?.payload).toMatchObject({ event: 'circuit.open', provider: 'flaky' });
    expect(open?.payload.text).toMatch(/^Switchyard: circuit open for flaky/);
  });

  it('tells the webhook when a key crosses 80 % and 100 % of its budget', async () => {
    const ask = async (key: string) => {
      const response = await runtime.handle(
        new Request('http://gateway/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      );
      await response.arrayBuffer();
      return response.status;
    };
    const waitForKey = async (key: string) => {
      for (let tries = 0; tries < 100; tries++) {
        if (runtime.keys.accepts(key)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the key never reached the gateway');
    };
    // One identical request costs the same every time: measure it on a key without a budget.
    const meter = await repositories.keys.create({ name: 'meter' }, actor);
    await waitForKey(meter.key);
    expect(await ask(meter.key)).toBe(200);
    const cost = runtime.keys.spentThisMonth(meter.record.id);
    expect(cost).toBeGreaterThan(0);

    // 2.4 requests' worth: the 2nd request crosses 80 %, the 3rd 100 %.
    const budgeted = await repositories.keys.create(
      { name: 'team-a', monthlyBudgetUsd: cost * 2.4 },
      actor,
    );
    await waitForKey(budgeted.key);
    expect(await ask(budgeted.key)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events('budget.80')).toHaveLength(0);
    expect(await ask(budgeted.key)).toBe(200);
    const [eighty] = await until(
      () => (events('budget.80').length > 0 ? events('budget.80') : undefined),
      'budget.80',
    );
    expect(eighty?.payload).toMatchObject({ keyId: budgeted.record.id, keyName: 'team-a' });
    expect(eighty?.payload.text).toMatch(/key team-a has used 80 % of its monthly budget/);
    expect(await ask(budgeted.key)).toBe(200);
    const [hundred] = await until(
      () => (events('budget.100').length > 0 ? events('budget.100') : undefined),
      'budget.100',
    );
    expect(hundred?.payload.text).toMatch(/key team-a has used 100 % of its monthly budget/);
    // The budget now refuses the key; no second alert for either level.
    expect(await ask(budgeted.key)).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events('budget.80')).toHaveLength(1);
    expect(events('budget.100')).toHaveLength(1);
  });

  it('sends a delivery again after the receiver answers 500, and lists both attempts', async () => {
    const [webhook] = await repositories.alerts.listWebhooks();
    receiver.statuses.push(500);
    const before = events('test').length;
    const first = await runtime.alerts!.sendTest(webhook!.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    expect(first.lastError).toMatch(/HTTP 500: receiver broke/);
    await until(
      () => (events('test').length >= before + 2 ? true : undefined),
      'the retried test delivery',
    );
    let record = await repositories.alerts.getDelivery(first.id);
    for (let tries = 0; record?.status !== 'delivered' && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      record = await repositories.alerts.getDelivery(first.id);
    }
    expect(record).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
    expect(record?.lastError).toBeUndefined();
    const twice = events('test').slice(-2);
    expect(twice[0]?.headers['x-switchyard-delivery']).toBe(first.id);
    expect(twice[1]?.headers['x-switchyard-delivery']).toBe(first.id);
  });
});
