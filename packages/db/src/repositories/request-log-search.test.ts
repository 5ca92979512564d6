// The request-log filters the logs page and its export share: model, failovers, time range,
// combined filters, and the search in stored bodies (wildcards and quotes taken literally).
import type { Clock } from '@switchyard/core';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { openTestDatabase, testBackends, type TestDatabase } from '../testkit/test-database.ts';
import { createRepositories, type Repositories } from './index.ts';
import { bodySearchPattern, type RequestLogFilter, type RequestLogInput } from './request-logs.ts';

const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);
const clock: Clock = { now: () => T0 + 60 * 60_000, sleep: () => Promise.resolve() };

function log(overrides: Partial<RequestLogInput> & { id: string }): RequestLogInput {
  return {
    createdAt: T0,
    requestId: `req-${overrides.id}`,
    status: 200,
    stream: false,
    attempts: 1,
    attemptTrail: [],
    latencyMs: 100,
    ...overrides,
  };
}

const chat = (content: string) => ({ messages: [{ role: 'user', content }] });

const ROWS: RequestLogInput[] = [
  log({
    id: 'a',
    createdAt: T0,
    model: 'gpt-4o-mini',
    provider: 'openai',
    requestBody: chat('What is the capital of France?'),
    responseBody: { choices: [{ message: { content: 'Paris.' } }] },
  }),
  log({
    id: 'b',
    createdAt: T0 + 1000,
    model: 'claude-haiku',
    provider: 'anthropic',
    attempts: 2,
    requestBody: chat('Spring sale: 50% off, code SAVE_NOW'),
  }),
  log({
    id: 'c',
    createdAt: T0 + 2000,
    model: 'gpt-4o-mini',
    provider: 'openai',
    status: 502,
    errorKind: 'server',
    attempts: 3,
    requestBody: chat('She said "hello" to C:\\temp'),
  }),
  // Body logging was off for this one.
  log({ id: 'd', createdAt: T0 + 3000, model: 'gpt-4o-mini', provider: 'openai' }),
  log({
    id: 'e',
    createdAt: T0 + 4000,
    model: 'claude-haiku',
    provider: 'anthropic',
    requestBody: chat('500 off, code SAVEXNOW'),
  }),
];

describe('the body search pattern', () => {
  it('escapes LIKE wildcards and writes quotes and backslashes as the JSON text has them', () => {
    expect(bodySearchPattern('50% off_now')).toBe('%50\\% off\\_now%');
    expect(bodySearchPattern('say "hi"')).toBe('%say \\\\"hi\\\\"%');
  });
});

describe.each(testBackends())('request log filters and body search on %s', (backend) => {
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
  beforeEach(async () => {
    await test.reset();
    await repos.requestLogs.insertMany(ROWS);
  });

  const ids = async (filter: Omit<RequestLogFilter, 'limit'>) =>
    (await repos.requestLogs.list({ limit: 50, ...filter })).items.map((item) => item.id);

  it('filters by model, by failover, and by several filters at once', async () => {
    expect(await ids({ model: 'claude-haiku' })).toEqual(['e', 'b']);
    expect(await ids({ failover: true })).toEqual(['c', 'b']);
    expect(await ids({ model: 'gpt-4o-mini', status: 'error' })).toEqual(['c']);
    expect(await ids({ provider: 'openai', since: T0 + 1000, until: T0 + 3000 })).toEqual(['c']);
    expect(await ids({ model: 'no-such-model' })).toEqual([]);
  });

  it('finds text in request and response bodies, case-insensitively', async () => {
    expect(await ids({ search: 'CAPITAL of france' })).toEqual(['a']);
    expect(await ids({ search: 'paris' })).toEqual(['a']);
    expect(await ids({ search: 'gpt-4o-mini' })).toEqual([]);
    expect(await ids({ search: 'off, code', provider: 'anthropic' })).toEqual(['e', 'b']);
  });

  it('takes % and _ literally, and matches quotes and backslashes as typed', async () => {
    expect(await ids({ search: '50% off' })).toEqual(['b']);
    expect(await ids({ search: 'SAVE_NOW' })).toEqual(['b']);
    expect(await ids({ search: '%' })).toEqual(['b']);
    expect(await ids({ search: 'said "hello"' })).toEqual(['c']);
    expect(await ids({ search: 'C:\\temp' })).toEqual(['c']);
    expect(await ids({ search: '\'; DROP TABLE "RequestLog"; --' })).toEqual([]);
    expect(await ids({})).toHaveLength(5);
  });

  it('pages through search results with the cursor', async () => {
    const first = await repos.requestLogs.list({ limit: 1, search: 'off' });
    expect(first.items.map((item) => item.id)).toEqual(['e']);
    expect(first.nextCursor).toBeDefined();
    const second = await repos.requestLogs.list({
      limit: 1,
      search: 'off',
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });
    expect(second.items.map((item) => item.id)).toEqual(['b']);
    expect(second.nextCursor).toBeUndefined();
  });
});
