// Database mode: a model without a price of its own is billed at the built-in catalogue's list
// price, and an imported newer catalogue takes over on the next reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPriceCatalogue, closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import type { PriceCatalogue, RequestOutcome } from '@switchyard/core';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { createRepositories, type Repositories } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from './runtime.ts';

let mock: OpenAIMock;
beforeAll(async () => {
  mock = await startOpenAIMock();
});
afterAll(async () => {
  await mock.close();
  await closeHttpAgent();
});

const actor = { via: 'system' as const };

async function ask(runtime: GatewayRuntime): Promise<RequestOutcome> {
  const outcome = new Promise<RequestOutcome>((resolve) => {
    const off = runtime.events.on('request', (event) => {
      off();
      resolve(event);
    });
  });
  const response = await runtime.handle(
    new Request('http://gateway/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] }),
    }),
  );
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return outcome;
}

describe.each(testBackends())('catalogue prices on %s', (backend) => {
  let test: TestDatabase;
  let repositories: Repositories;
  let runtime: GatewayRuntime;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repositories = createRepositories(test.db, { definitions: defaultDefinitions });
    await repositories.providers.create(
      {
        id: 'openai',
        name: 'OpenAI',
        type: 'openai',
        endpoint: mock.url,
        apiKey: 'k1',
        models: [{ name: 'mini', id: 'gpt-4o-mini' }],
      },
      actor,
    );
    runtime = await createGatewayRuntime({ db: test.db, monitorHealth: false, environment: {} });
  });
  afterAll(async () => {
    await runtime?.close();
    await test?.close();
  });

  it('bills the catalogue price, then a newer imported one', async () => {
    const builtIn = builtInPriceCatalogue();
    const listed = builtIn.vendors.openai?.models['gpt-4o-mini'];
    expect(listed).toBeDefined();
    const first = await ask(runtime);
    expect(first.inputTokens).toBeGreaterThan(0);
    expect(first.costUsd).toBeCloseTo(
      ((first.inputTokens ?? 0) * (listed?.input ?? 0) +
        (first.outputTokens ?? 0) * (listed?.output ?? 0)) /
        1e6,
      12,
    );

    const newer: PriceCatalogue = {
      asOf: '2099-01-01',
      currency: 'USD',
      unit: 'per-million-tokens',
      vendors: {
        openai: {
          source: 'test',
          providerTypes: ['openai'],
          models: { 'gpt-4o-mini': { input: 1_000, output: 0 } },
        },
      },
    };
    const result = await repositories.prices.importCatalogue(newer, builtIn, actor);
    expect(result.imported).toBe(true);
    expect((await repositories.prices.stored())?.asOf).toBe('2099-01-01');
    await runtime.reload();
    expect(runtime.gateway.prices.asOf).toBe('2099-01-01');
    const second = await ask(runtime);
    expect(second.costUsd).toBeCloseTo((second.inputTokens ?? 0) / 1_000, 12);
  });
});
