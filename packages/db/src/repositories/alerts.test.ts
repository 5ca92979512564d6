import type { Clock } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { checkWebhookUrl, maskWebhookUrl } from './alerts.ts';
import { createRepositories, type Repositories } from './index.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const clock: Clock = { now: () => T0, sleep: () => Promise.resolve() };
const actor = { via: 'system' as const };
const SLACK_URL = 'https://hooks.example.com/services/T000/B000/credential-in-the-path';

describe('webhook URLs', () => {
  it('accepts http(s) only, without userinfo, and masks the path', () => {
    expect(() => checkWebhookUrl('ftp://example.com/x')).toThrow(/only http/);
    expect(() => checkWebhookUrl('not a url')).toThrow(/absolute/);
    expect(() => checkWebhookUrl('https://user:pw@example.com/')).toThrow(/credentials/);
    expect(maskWebhookUrl(checkWebhookUrl(SLACK_URL))).toBe('https://hooks.example.com/…');
    expect(maskWebhookUrl(checkWebhookUrl('http://127.0.0.1:9000'))).toBe('http://127.0.0.1:9000');
  });
});

describe.each(testBackends())('alert webhooks and deliveries on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, {
      definitions: defaultDefinitions,
      logger: silentLogger,
      clock,
    });
  });
  afterAll(() => test?.close());
  beforeEach(() => test.reset());

  it('seals the URL and the secret; records and the audit log hold neither', async () => {
    const created = await repos.alerts.createWebhook(
      { name: 'Ops', url: SLACK_URL, secret: 'whsec-1' },
      actor,
    );
    expect(created).toMatchObject({ name: 'Ops', url: 'https://hooks.example.com/…' });
    expect(created.hasSecret).toBe(true);
    const rows = await test.db.prisma.alertWebhook.findMany();
    expect(JSON.stringify(rows)).not.toContain('credential-in-the-path');
    expect(JSON.stringify(rows)).not.toContain('whsec-1');
    const audit = await repos.audit.list({ limit: 10 });
    expect(audit.items[0]).toMatchObject({ action: 'create', entity: 'webhook' });
    expect(JSON.stringify(audit.items)).not.toContain('whsec-1');
    expect(await repos.alerts.target(created.id)).toEqual({
      id: created.id,
      url: SLACK_URL,
      secret: 'whsec-1',
    });

    const updated = await repos.alerts.updateWebhook(created.id, { secret: null }, actor);
    expect(updated.hasSecret).toBe(false);
    expect(await repos.alerts.target(created.id)).toEqual({ id: created.id, url: SLACK_URL });
  });

  it('queues one delivery per enabled webhook, claims each once, and records attempts', async () => {
    const on = await repos.alerts.createWebhook({ name: 'on', url: 'http://127.0.0.1:1/a' }, actor);
    await repos.alerts.createWebhook(
      { name: 'off', url: 'http://127.0.0.1:1/b', enabled: false },
      actor,
    );
    const queued = await repos.alerts.enqueue('provider.down', { text: 'down' });
    expect(queued.map((delivery) => delivery.webhookId)).toEqual([on.id]);

    const now = new Date(T0);
    const first = await repos.alerts.claimDue(now, 10, 30_000);
    expect(first.map((delivery) => delivery.id)).toEqual([queued[0]?.id]);
    // Claimed: nobody else takes it during the lease.
    expect(await repos.alerts.claimDue(now, 10, 30_000)).toEqual([]);

    const id = queued[0]?.id ?? '';
    const retried = await repos.alerts.recordAttempt(id, {
      ok: false,
      at: now,
      status: 500,
      error: 'HTTP 500',
      retryAt: new Date(T0 + 2_000),
    });
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    expect(await repos.alerts.claimDue(new Date(T0 + 1_999), 10, 30_000)).toEqual([]);
    expect(await repos.alerts.claimDue(new Date(T0 + 2_000), 10, 30_000)).toHaveLength(1);
    const delivered = await repos.alerts.recordAttempt(id, { ok: true, at: now, status: 204 });
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(delivered.lastError).toBeUndefined();

    const listed = await repos.alerts.listDeliveries({ limit: 10 });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ webhookName: 'on', event: 'provider.down' });
  });

  it('deleting a webhook removes its deliveries', async () => {
    const hook = await repos.alerts.createWebhook({ name: 'x', url: 'http://127.0.0.1:1/' }, actor);
    await repos.alerts.enqueue('test', { text: 't' }, { webhookId: hook.id });
    await repos.alerts.removeWebhook(hook.id, actor);
    expect(await repos.alerts.listDeliveries({ limit: 10 })).toEqual([]);
    await expect(repos.alerts.removeWebhook(hook.id, actor)).rejects.toThrow(/No webhook/);
  });
});
