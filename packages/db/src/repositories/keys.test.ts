import { ConfigError, hashApiKey, type Clock } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';

const admin = { userId: 'u1', email: 'admin@example.com', via: 'dashboard' } as const;

function fakeClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: () => Promise.resolve(), set: (ms) => (now = ms) };
}

describe.each(testBackends())('editing, rotating and metering keys on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;
  const clock = fakeClock(Date.UTC(2025, 2, 15, 12));

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, {
      definitions: defaultDefinitions,
      logger: silentLogger,
      clock,
    });
  });
  afterAll(() => test?.close());
  beforeEach(async () => {
    clock.set(Date.UTC(2025, 2, 15, 12));
    await test.reset();
  });

  async function auditOf(id: string) {
    const { items } = await repos.audit.list({ limit: 50, entity: 'key' });
    return items.filter((entry) => entry.entityId === id);
  }

  it('changes limits, budget, expiry and routes, clears them with null, and audits each change', async () => {
    const { record } = await repos.keys.create(
      { name: 'app', limits: { requestsPerMinute: 10 }, monthlyBudgetUsd: 5 },
      admin,
    );
    const updated = await repos.keys.update(
      record.id,
      {
        limits: { requestsPerMinute: 1, tokensPerMinute: 500 },
        allowedRoutes: ['default'],
        expiresAt: '2025-06-01T00:00:00.000Z',
      },
      admin,
    );
    expect(updated).toMatchObject({
      id: record.id,
      name: 'app',
      limits: { requestsPerMinute: 1, tokensPerMinute: 500 },
      monthlyBudgetUsd: 5,
      allowedRoutes: ['default'],
      expiresAt: new Date('2025-06-01T00:00:00.000Z'),
    });
    const active = await repos.keys.activeKeys();
    expect(active[0]?.limits).toEqual({ requestsPerMinute: 1, tokensPerMinute: 500 });

    const cleared = await repos.keys.update(
      record.id,
      { limits: null, monthlyBudgetUsd: null, expiresAt: null, allowedRoutes: [] },
      admin,
    );
    expect(cleared.limits).toBeUndefined();
    expect(cleared.monthlyBudgetUsd).toBeUndefined();
    expect(cleared.expiresAt).toBeUndefined();
    expect(cleared.allowedRoutes).toEqual([]);

    const audit = await auditOf(record.id);
    expect(audit.map((entry) => entry.action)).toEqual(['update', 'update', 'create']);
    expect(audit[1]?.before).toMatchObject({ limits: { requestsPerMinute: 10 } });
    expect(audit[1]?.after).toMatchObject({ limits: { requestsPerMinute: 1 } });
  });

  it('refuses an update that create would refuse, and leaves the key as it was', async () => {
    const { record } = await repos.keys.create(
      { name: 'app', limits: { requestsPerMinute: 10 } },
      admin,
    );
    for (const patch of [
      { name: '' },
      { limits: { requestsPerMinute: 0 } },
      { limits: { tokensPerMinute: 1.5 } },
      { monthlyBudgetUsd: -1 },
      { expiresAt: 'not a date' },
    ]) {
      const failure = await repos.keys
        .update(record.id, patch, admin)
        .catch((error: unknown) => error);
      expect(failure, JSON.stringify(patch)).toBeInstanceOf(ConfigError);
    }
    const stored = (await repos.keys.list())[0];
    expect(stored?.limits).toEqual({ requestsPerMinute: 10 });
    expect((await auditOf(record.id)).map((entry) => entry.action)).toEqual(['create']);
    await expect(repos.keys.update('missing', { name: 'x' }, admin)).rejects.toThrow(NotFoundError);
  });

  it('rotates a key: same id, settings and history, a new secret, the old digest gone', async () => {
    const { record, key: oldKey } = await repos.keys.create(
      { name: 'app', limits: { requestsPerMinute: 3 }, monthlyBudgetUsd: 2 },
      admin,
    );
    await repos.requestLogs.insertMany([
      {
        requestId: 'before-rotation',
        status: 200,
        stream: false,
        attempts: 1,
        attemptTrail: [],
        latencyMs: 5,
        keyId: record.id,
        createdAt: Date.UTC(2025, 2, 15, 11),
        costUsd: 0.5,
      },
    ]);
    const { record: rotated, key: newKey } = await repos.keys.rotate(record.id, admin);
    expect(newKey).toMatch(/^sk-sy-/);
    expect(newKey).not.toBe(oldKey);
    expect(rotated).toMatchObject({
      id: record.id,
      name: 'app',
      limits: { requestsPerMinute: 3 },
      monthlyBudgetUsd: 2,
      prefix: newKey.slice(0, 12),
    });
    const active = await repos.keys.activeKeys();
    expect(active.map((key) => key.hash)).toEqual([hashApiKey(newKey)]);
    expect(await repos.keys.monthToDateSpend()).toEqual(new Map([[record.id, 0.5]]));

    const audit = await auditOf(record.id);
    expect(audit[0]?.action).toBe('rotate');
    expect(JSON.stringify(audit)).not.toContain(newKey);
    expect(JSON.stringify(audit)).not.toContain(hashApiKey(newKey));

    await repos.keys.revoke(record.id, admin);
    await expect(repos.keys.rotate(record.id, admin)).rejects.toThrow(ConflictError);
    await expect(repos.keys.update(record.id, { name: 'again' }, admin)).rejects.toThrow(
      ConflictError,
    );
  });

  it("sums a key's requests, failures, tokens and cost over a period, per model", async () => {
    const { record } = await repos.keys.create({ name: 'app' }, admin);
    const other = await repos.keys.create({ name: 'other' }, admin);
    const base = {
      requestId: 'r',
      status: 200,
      stream: false,
      attempts: 1,
      attemptTrail: [],
      latencyMs: 10,
      keyId: record.id,
      model: 'small',
      inputTokens: 10,
      outputTokens: 5,
      costUsd: 0.01,
    };
    await repos.requestLogs.insertMany([
      { ...base, createdAt: Date.UTC(2025, 2, 14, 11, 59) },
      { ...base, createdAt: Date.UTC(2025, 2, 14, 12) },
      { ...base, createdAt: Date.UTC(2025, 2, 15, 9) },
      { ...base, createdAt: Date.UTC(2025, 2, 15, 10), model: 'large', costUsd: 0.2 },
      {
        ...base,
        createdAt: Date.UTC(2025, 2, 15, 11),
        status: 429,
        inputTokens: undefined,
        outputTokens: undefined,
        costUsd: undefined,
      },
      { ...base, createdAt: Date.UTC(2025, 2, 15, 11), keyId: other.record.id },
    ]);
    const usage = await repos.keys.usage(record.id, {
      since: new Date(Date.UTC(2025, 2, 14, 12)),
      until: new Date(clock.now()),
    });
    expect(usage).toMatchObject({ requests: 4, failed: 1, inputTokens: 30, outputTokens: 15 });
    expect(usage.costUsd).toBeCloseTo(0.22);
    expect(usage.byModel.map((entry) => [entry.model, entry.requests])).toEqual([
      ['small', 3],
      ['large', 1],
    ]);
  });
});
