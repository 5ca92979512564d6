// Database mode: every health check a gateway runs is stored, with its response time, so the
// dashboard's health history can show latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { createRepositories } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime } from './runtime.ts';

let upstream: OpenAIMock;

beforeAll(async () => {
  upstream = await startOpenAIMock();
});
afterAll(async () => {
  await upstream.close();
  await closeHttpAgent();
});

describe.each(testBackends())('stored health checks on %s', (backend) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await test.close();
  });

  it('keeps each check with its response time', async () => {
    const repositories = createRepositories(test.db, { definitions: defaultDefinitions });
    await repositories.providers.create(
      { id: 'checked', name: 'Checked', type: 'openai', endpoint: upstream.url, apiKey: 'k' },
      { via: 'system' },
    );
    const runtime = await createGatewayRuntime({
      db: test.db,
      monitorHealth: false,
      environment: {},
    });
    const result = await runtime.gateway.testProvider('checked');
    expect(result.ok).toBe(true);
    await runtime.close(); // flushes the health writer
    const [stored] = (await repositories.health.latest()).filter(
      (check) => check.providerId === 'checked',
    );
    expect(stored).toMatchObject({ providerId: 'checked', isHealthy: true });
    expect(stored?.responseTime).toBeTypeOf('number');
    expect(stored!.responseTime!).toBeGreaterThanOrEqual(0);
  });
});
