// Retention for one instance at a time: the advisory lock decides who prunes a round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDefinitions } from '@switchyard/adapters';
import { openDatabase, type Database } from '../database.ts';
import {
  openTestDatabase,
  testBackends,
  TEST_SECRET_KEY,
  type TestDatabase,
} from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';
import { createStoredResponsesRepository } from './responses.ts';
import { pruneByRetentionExclusively, RETENTION_LOCK } from './retention.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 6, 1, 12, 0, 0);

function log(id: string, createdAt: number) {
  return {
    id,
    createdAt: new Date(createdAt),
    requestId: id,
    status: 200,
    stream: false,
    attempts: 1,
    attemptTrail: [],
    latencyMs: 5,
  };
}

describe.each(testBackends())('retention on %s', (backend) => {
  let test: TestDatabase;
  let repos: Repositories;

  beforeAll(async () => {
    test = await openTestDatabase(backend);
    repos = createRepositories(test.db, { definitions: defaultDefinitions });
    await repos.settings.update(
      { healthRetentionDays: 2, requestLogRetentionDays: 3 },
      { via: 'system' },
    );
  });
  afterAll(() => test.close());

  it('deletes what the retention settings no longer keep', async () => {
    await repos.requestLogs.insertMany([log('old', NOW - 4 * DAY), log('kept', NOW - DAY)]);
    await repos.health.record([
      { providerId: 'p', checkedAt: new Date(NOW - 3 * DAY), isHealthy: true },
      { providerId: 'p', checkedAt: new Date(NOW - 1000), isHealthy: true },
    ]);
    const responses = createStoredResponsesRepository(test.db.prisma);
    const stored = (id: string, createdAt: number) => ({
      id,
      keyId: null,
      createdAt,
      response: { id, object: 'response' },
      inputItems: [],
      history: [],
    });
    await responses.put(stored('resp_old', NOW - 4 * DAY));
    await responses.put(stored('resp_kept', NOW - DAY));
    const result = await pruneByRetentionExclusively(test.db, repos, NOW);
    expect(result).toEqual({ healthResults: 1, requestLogs: 1, sessions: 0, storedResponses: 1 });
    const left = await repos.requestLogs.list({ limit: 10 });
    expect(left.items.map((item) => item.id)).toEqual(['kept']);
    // Stored responses follow the request-log retention.
    expect(await responses.get('resp_old')).toBeUndefined();
    expect((await responses.get('resp_kept'))?.id).toBe('resp_kept');
  });

  // The lock matters between instances sharing one Postgres: only that backend has the test.
  if (backend === 'postgres')
    it('skips the round while another instance holds the lock', async () => {
      const other: Database = await openDatabase({
        url: test.url!,
        secretKey: TEST_SECRET_KEY,
        migrate: false,
      });
      try {
        await repos.requestLogs.insertMany([log('stale', NOW - 10 * DAY)]);
        const skipped = await other.prisma.$transaction(async (tx) => {
          await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${RETENTION_LOCK})::text`);
          return pruneByRetentionExclusively(test.db, repos, NOW);
        });
        expect(skipped).toBeNull();
        const afterwards = await pruneByRetentionExclusively(test.db, repos, NOW);
        expect(afterwards?.requestLogs).toBe(1);
      } finally {
        await other.close();
      }
    });
});
