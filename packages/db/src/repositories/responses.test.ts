import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createStoredResponsesRepository, type StoredResponsesRepository } from './responses.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe.each(testBackends())('stored responses on %s', (backend) => {
  let test: TestDatabase;
  let store: StoredResponsesRepository;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    store = createStoredResponsesRepository(test.db.prisma);
  });
  afterAll(() => test?.close());
  beforeEach(() => test.reset());

  it('keeps a response with its items, key and native provider, and deletes it', async () => {
    await store.put({
      id: 'resp_1',
      keyId: 'key-a',
      createdAt: T0,
      response: { id: 'resp_1', object: 'response', output: [{ type: 'message' }] },
      inputItems: [{ id: 'msg_1', type: 'message', role: 'user', content: [] }],
      history: [{ id: 'msg_0', type: 'message', role: 'user', content: [] }],
      nativeProvider: 'openai',
    });
    expect(await store.get('resp_1')).toEqual({
      id: 'resp_1',
      keyId: 'key-a',
      createdAt: T0,
      response: { id: 'resp_1', object: 'response', output: [{ type: 'message' }] },
      inputItems: [{ id: 'msg_1', type: 'message', role: 'user', content: [] }],
      history: [{ id: 'msg_0', type: 'message', role: 'user', content: [] }],
      nativeProvider: 'openai',
    });
    expect(await store.delete('resp_1')).toBe(true);
    expect(await store.delete('resp_1')).toBe(false);
    expect(await store.get('resp_1')).toBeUndefined();
  });

  it('prunes responses older than the cut-off', async () => {
    const base = { keyId: null, response: {}, inputItems: [], history: [] };
    await store.put({ ...base, id: 'old', createdAt: T0 - 10_000 });
    await store.put({ ...base, id: 'new', createdAt: T0 });
    expect(await store.prune(new Date(T0 - 1))).toBe(1);
    expect(await store.get('old')).toBeUndefined();
    expect((await store.get('new'))?.keyId).toBeNull();
  });
});
