// Database mode takes the monitoring settings from the environment: a scraper's token, or open
// for a trusted scrape network; without them an API key is needed. Bad values stop the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { createRepositories } from '@switchyard/db';
import { openTestDatabase, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from './runtime.ts';
import { monitoringFromEnvironment } from './monitoring-env.ts';

const TOKEN = 'scrape-token-0123456789';

describe('monitoring settings from the environment', () => {
  let test: TestDatabase;
  const runtimes: GatewayRuntime[] = [];

  beforeAll(async () => {
    test = await openTestDatabase('pglite');
    const repositories = createRepositories(test.db, { definitions: defaultDefinitions });
    // A key exists: the gateway is not open, so monitoring needs credentials.
    await repositories.keys.create({ name: 'app' }, { via: 'system' });
  });
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close();
    await test?.close();
  });

  async function start(environment: Record<string, string>): Promise<GatewayRuntime> {
    const runtime = await createGatewayRuntime({
      db: test.db,
      monitorHealth: false,
      retention: false,
      environment,
    });
    runtimes.push(runtime);
    return runtime;
  }

  const metrics = (runtime: GatewayRuntime, authorization?: string) =>
    runtime.handle(
      new Request('http://gateway/metrics', {
        headers: authorization ? { authorization } : {},
      }),
    );

  it('needs a key by default, takes the scrape token when set, and opens only when told', async () => {
    const closed = await start({});
    expect((await metrics(closed)).status).toBe(401);
    expect((await metrics(closed, `Bearer ${TOKEN}`)).status).toBe(401);

    const withToken = await start({ SWITCHYARD_MONITORING_TOKEN: TOKEN });
    expect((await metrics(withToken)).status).toBe(401);
    expect((await metrics(withToken, `Bearer ${TOKEN}`)).status).toBe(200);

    const open = await start({ SWITCHYARD_MONITORING_PUBLIC: 'true' });
    expect((await metrics(open)).status).toBe(200);
  });

  it('refuses a short token or a value that is not a boolean, naming the variable', () => {
    expect(() => monitoringFromEnvironment({ SWITCHYARD_MONITORING_TOKEN: 'short' })).toThrow(
      'SWITCHYARD_MONITORING_TOKEN must be at least 16 characters',
    );
    expect(() => monitoringFromEnvironment({ SWITCHYARD_MONITORING_PUBLIC: 'yes' })).toThrow(
      'SWITCHYARD_MONITORING_PUBLIC must be true or false',
    );
    expect(monitoringFromEnvironment({})).toEqual({ public: false });
  });
});
