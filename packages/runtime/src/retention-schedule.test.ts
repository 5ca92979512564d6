// Retention runs by itself in a database-mode runtime (it used to run only when a test called it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { createRepositories, type Repositories } from '@switchyard/db';
import { openTestDatabase, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from './runtime.ts';
import { scheduleRetention } from './retention-schedule.ts';

const DAY = 24 * 60 * 60 * 1000;

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('retention schedule', () => {
  let test: TestDatabase;
  let repos: Repositories;
  let runtime: GatewayRuntime;

  beforeAll(async () => {
    test = await openTestDatabase('pglite');
    repos = createRepositories(test.db, { definitions: defaultDefinitions });
    await repos.settings.update({ requestLogRetentionDays: 7 }, { via: 'system' });
  });
  afterAll(async () => {
    await runtime.close();
    await test.close();
  });

  it('prunes request logs older than the retention setting without being asked', async () => {
    const row = (id: string, age: number) => ({
      id,
      createdAt: new Date(Date.now() - age),
      requestId: id,
      status: 200,
      stream: false,
      attempts: 1,
      attemptTrail: [],
      latencyMs: 5,
    });
    await repos.requestLogs.insertMany([row('ancient', 30 * DAY), row('fresh', 1000)]);
    runtime = await createGatewayRuntime({
      db: test.db,
      monitorHealth: false,
      retention: { firstDelayMs: 10, intervalMs: 60_000 },
    });
    const ids = async () => (await repos.requestLogs.list({ limit: 10 })).items.map((i) => i.id);
    expect(await until(async () => !(await ids()).includes('ancient'), 5000)).toBe(true);
    expect(await ids()).toEqual(['fresh']);
  });

  it('runs a round every interval, one at a time, and stops when told', async () => {
    let rounds = 0;
    let concurrent = 0;
    let most = 0;
    const stop = scheduleRetention({
      firstDelayMs: 1,
      intervalMs: 5,
      prune: async () => {
        rounds++;
        most = Math.max(most, ++concurrent);
        await new Promise((resolve) => setTimeout(resolve, 20));
        concurrent--;
        return null;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await stop();
    const seen = rounds;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
    expect(rounds).toBe(seen);
  });
});
