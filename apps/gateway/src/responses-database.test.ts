// Database mode: Responses answers kept with `store` are rows of the database, so a follow-up
// (`previous_response_id`) works on another gateway instance sharing it, and `store: false`
// keeps nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { createRepositories } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { startAnthropicMock, type MockServer } from '@switchyard/testkit';

const actor = { via: 'system' as const };
let anthropic: MockServer;

beforeAll(async () => {
  anthropic = await startAnthropicMock({ apiKey: 'anthropic-key' });
});
afterAll(async () => {
  await anthropic.close();
  await closeHttpAgent();
});

describe.each(testBackends())('stored responses in the database on %s', (backend) => {
  let test: TestDatabase;
  let first: GatewayRuntime;
  let second: GatewayRuntime;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    const repositories = createRepositories(test.db, { definitions: defaultDefinitions });
    await repositories.providers.create(
      {
        id: 'anthropic',
        name: 'Anthropic',
        type: 'anthropic',
        endpoint: anthropic.url,
        apiKey: 'anthropic-key',
      },
      actor,
    );
    await repositories.routes.upsert(
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      actor,
    );
    const created = await repositories.keys.create({ name: 'app' }, actor);
    key = created.key;
    keyId = created.record.id;
    first = await createGatewayRuntime({ db: test.db, monitorHealth: false });
    second = await createGatewayRuntime({ db: test.db, monitorHealth: false });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await test?.close();
  });

  async function post(runtime: GatewayRuntime, body: unknown): Promise<Record<string, unknown>> {
    const response = await runtime.handle(
      new Request('http://gateway/v1/responses', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  async function storedRow(id: string) {
    // The write is off the answer's path: wait for it briefly.
    for (let attempt = 0; attempt < 50; attempt++) {
      const row = await test.db.prisma.storedResponse.findUnique({ where: { id } });
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return null;
  }

  it('keeps a response as a row and serves a follow-up on another instance', async () => {
    const created = await post(first, { model: 'claude', input: 'remember the tide' });
    const id = created.id as string;
    const row = await storedRow(id);
    expect(row?.keyId).toBe(keyId);
    expect(JSON.stringify(row?.inputItems)).toContain('remember the tide');
    const followUp = await post(second, {
      model: 'claude',
      previous_response_id: id,
      input: 'what did I say?',
    });
    expect(JSON.stringify(followUp.output)).toContain('Echo: what did I say?');
    expect(JSON.stringify(anthropic.requests.at(-1)?.body)).toContain('remember the tide');
    const retrieved = await second.handle(
      new Request(`http://gateway/v1/responses/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
    expect(retrieved.status).toBe(200);
    expect(((await retrieved.json()) as { id: string }).id).toBe(id);
  });

  it('keeps nothing with store: false', async () => {
    const created = await post(first, { model: 'claude', input: 'forget me', store: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await test.db.prisma.storedResponse.count({ where: { id: created.id as string } })).toBe(
      0,
    );
  });
});
