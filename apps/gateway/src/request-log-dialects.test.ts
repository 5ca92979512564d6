// The request log says which API each client spoke and marks token figures the gateway counted
// itself because the upstream reported none (LM Studio streams carry no usage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpAgent, defaultDefinitions } from '@switchyard/adapters';
import { createRepositories, type Repositories } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import {
  startAnthropicMock,
  startOpenAIMock,
  type MockServer,
  type OpenAIMock,
} from '@switchyard/testkit';

const actor = { via: 'system' as const };
let anthropic: MockServer;
let lmstudio: OpenAIMock;

beforeAll(async () => {
  anthropic = await startAnthropicMock({ apiKey: 'anthropic-key' });
  lmstudio = await startOpenAIMock({ flavor: 'lmstudio' });
});
afterAll(async () => {
  await anthropic.close();
  await lmstudio.close();
  await closeHttpAgent();
});

describe.each(testBackends())('request log dialects and estimated usage on %s', (backend) => {
  let test: TestDatabase;
  let repositories: Repositories;
  let runtime: GatewayRuntime;
  let key: string;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repositories = createRepositories(test.db, { definitions: defaultDefinitions });
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
    await repositories.providers.create(
      { id: 'local', name: 'LM Studio', type: 'lmstudio', endpoint: `${lmstudio.url}/v1` },
      actor,
    );
    await repositories.routes.upsert(
      { name: 'claude', targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }] },
      actor,
    );
    await repositories.routes.upsert(
      { name: 'local', targets: [{ provider: 'local', model: 'gpt-4o-mini' }] },
      actor,
    );
    key = (await repositories.keys.create({ name: 'app' }, actor)).key;
    runtime = await createGatewayRuntime({ db: test.db, monitorHealth: false });
  });

  afterAll(async () => {
    await runtime?.close();
    await test?.close();
  });

  async function send(path: string, body: unknown): Promise<string> {
    const response = await runtime.handle(
      new Request(`http://gateway${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify(body),
      }),
    );
    expect(response.status).toBe(200);
    await response.text();
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    return requestId ?? '';
  }

  async function logged(requestId: string) {
    // Rows are written in batches off the answer's path: wait for this one briefly.
    for (let attempt = 0; attempt < 100; attempt++) {
      const { items } = await repositories.requestLogs.list({ limit: 50 });
      const row = items.find((item) => item.requestId === requestId);
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`request ${requestId} never reached the log`);
  }

  it('records the dialect of each API and whether the usage was counted here', async () => {
    const hello = [{ role: 'user', content: 'Say hello' }];
    const chat = await send('/v1/chat/completions', {
      model: 'local',
      messages: hello,
      stream: true,
    });
    const messages = await send('/v1/messages', {
      model: 'claude',
      max_tokens: 64,
      messages: hello,
    });
    const responses = await send('/v1/responses', { model: 'claude', input: 'Say hello' });

    const chatRow = await logged(chat);
    expect(chatRow).toMatchObject({ dialect: 'chat', stream: true, usageEstimated: true });
    expect(chatRow.outputTokens).toBeGreaterThan(0);

    const messagesRow = await logged(messages);
    expect(messagesRow).toMatchObject({ dialect: 'messages', provider: 'anthropic' });
    expect(messagesRow.usageEstimated).toBeUndefined();
    expect(messagesRow.inputTokens).toBeGreaterThan(0);

    expect(await logged(responses)).toMatchObject({ dialect: 'responses' });
    const onlyMessages = await repositories.requestLogs.list({ limit: 50, dialect: 'messages' });
    expect(onlyMessages.items.map((item) => item.requestId)).toEqual([messages]);
  });
});
