// The alerts API against a real database and gateway runtime: admins manage webhooks, viewers
// read them, the secret and the URL's path never reach the browser, bad URLs are refused by
// field, and "Send test" reaches a local receiver and is listed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as dbModule from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { closeHttpAgent } from '@switchyard/adapters';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';
import { ADMIN, testContext, VIEWER } from './test-support.ts';
import { assembleServices, type Services } from '../services.ts';

const createCaller = createCallerFactory(appRouter);

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call was not refused');
}
const SECRET = 'whsec-9f1c2b7e';

describe.each(testBackends())('alerts API on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let services: Services;
  const bodies: string[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(body);
      response.statusCode = 204;
      response.end();
    });
  });
  let receiverUrl = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/secret-path`;
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: (await import('@switchyard/adapters')).defaultDefinitions,
    });
    runtime = await createGatewayRuntime({
      db: database.db,
      monitorHealth: false,
      environment: {},
    });
    services = assembleServices(dbModule, database.db, repositories, runtime);
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await closeHttpAgent();
  });

  const as = (session: typeof ADMIN) =>
    createCaller(testContext({ session, services: () => Promise.resolve(services) }));

  it('creates, tests, lists, updates and deletes a webhook; the secret never comes back', async () => {
    const created = await as(ADMIN).alerts.create({
      name: 'Ops',
      url: receiverUrl,
      secret: SECRET,
    });
    expect(created).toMatchObject({ name: 'Ops', hasSecret: true, enabled: true });
    expect(created.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…$/);

    const delivery = await as(ADMIN).alerts.test({ id: created.id });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({ event: 'test' });

    const listed = await as(VIEWER).alerts.deliveries({});
    expect(listed[0]).toMatchObject({ id: delivery.id, webhookName: 'Ops', status: 'delivered' });
    expect(listed[0]?.text).toMatch(/test alert/);

    const everything = JSON.stringify([
      await as(VIEWER).alerts.webhooks(),
      listed,
      await as(ADMIN).audit.list({ limit: 20, entity: 'webhook' }),
    ]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('secret-path');

    const updated = await as(ADMIN).alerts.update({ id: created.id, enabled: false, secret: null });
    expect(updated).toMatchObject({ enabled: false, hasSecret: false });
    await as(ADMIN).alerts.remove({ id: created.id });
    expect(await as(ADMIN).alerts.webhooks()).toEqual([]);
    const audit = await as(ADMIN).audit.list({ limit: 20, entity: 'webhook' });
    expect(audit.items.map((entry) => entry.action)).toEqual(['delete', 'update', 'create']);
  });

  it('refuses viewers and bad URLs, naming the field', async () => {
    await expect(
      as(VIEWER).alerts.create({ name: 'x', url: 'https://example.com/hook' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const ftp = await refusal(as(ADMIN).alerts.create({ name: 'x', url: 'ftp://example.com/h' }));
    expect(ftp.code).toBe('BAD_REQUEST');
    expect(ftp.message).toMatch(/only http:\/\/ and https:\/\//);
    const userinfo = await refusal(
      as(ADMIN).alerts.create({ name: 'x', url: 'https://user:pw@example.com/hook' }),
    );
    expect(userinfo.code).toBe('BAD_REQUEST');
    expect(userinfo.message).toMatch(/credentials/);
    await expect(as(ADMIN).alerts.test({ id: 'missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('does not send to an address on the egress deny-list', async () => {
    const hook = await as(ADMIN).alerts.create({ name: 'meta', url: 'http://169.254.169.254/x' });
    const delivery = await as(ADMIN).alerts.test({ id: hook.id });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery.lastError).toMatch(/egress deny-list/);
  });
});
