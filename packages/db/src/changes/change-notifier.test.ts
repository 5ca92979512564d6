import pg from 'pg';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import type { DatabaseLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { openPostgresDatabase } from '../postgres/open-postgres.ts';
import { createRepositories } from '../repositories/index.ts';
import {
  createScratchPostgresDatabase,
  postgresTestUrl,
  TEST_SECRET_KEY,
} from '../testkit/test-database.ts';
import { createLocalChangeNotifier, type ChangeTopic } from './change-notifier.ts';

/** Resolves with the topics heard once `count` have arrived; rejects after `ms`. */
function collect(
  subscribe: (listener: (topic: ChangeTopic) => void) => () => void,
  count: number,
  ms = 5_000,
): Promise<ChangeTopic[]> {
  return new Promise((resolve, reject) => {
    const heard: ChangeTopic[] = [];
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`heard ${JSON.stringify(heard)} within ${ms} ms, expected ${count} topics`));
    }, ms);
    const unsubscribe = subscribe((topic) => {
      heard.push(topic);
      if (heard.length < count) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(heard);
    });
  });
}

describe('in-process change notification (embedded mode)', () => {
  it('reaches every subscriber; a throwing one is logged and does not stop the rest', async () => {
    const errors: string[] = [];
    const logger: DatabaseLogger = { ...silentLogger, error: (message) => errors.push(message) };
    const notifier = createLocalChangeNotifier(logger);
    const heard: ChangeTopic[] = [];
    notifier.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = notifier.subscribe((topic) => heard.push(topic));
    await notifier.notify('routes');
    unsubscribe();
    await notifier.notify('keys');
    expect(heard).toEqual(['routes']);
    expect(errors).toEqual([
      'A change listener for "routes" threw',
      'A change listener for "keys" threw',
    ]);
  });
});

const url = postgresTestUrl();
if (!url) console.warn('DATABASE_URL is not set: the LISTEN/NOTIFY tests are skipped.');

describe.skipIf(!url)('LISTEN/NOTIFY between connections (Postgres)', () => {
  let writer: Database;
  let reader: Database;
  let drop = async () => {};
  let scratchUrl = '';

  beforeAll(async () => {
    const scratch = await createScratchPostgresDatabase();
    drop = scratch.drop;
    scratchUrl = scratch.url;
    const options = {
      url: scratch.url,
      home: '/nonexistent',
      secretKey: TEST_SECRET_KEY,
      migrate: true,
      logger: silentLogger,
      maxConnections: 2,
    };
    writer = await openPostgresDatabase(options);
    reader = await openPostgresDatabase({ ...options, migrate: false });
  });
  afterAll(async () => {
    await writer?.close();
    await reader?.close();
    await drop();
  });

  it('delivers a change made through one connection to a gateway on another within a second', async () => {
    const arrivals: number[] = [];
    const heardByReader = collect(
      (listener) =>
        reader.changes.subscribe((topic) => (arrivals.push(Date.now()), listener(topic))),
      2,
      5_000,
    );
    const heardByWriter = collect((listener) => writer.changes.subscribe(listener), 2, 3_000);
    await reader.changes.ready();
    await writer.changes.ready();
    await createRepositories(writer, {
      definitions: defaultDefinitions,
      logger: silentLogger,
    }).providers.create({ id: 'p', name: 'P', type: 'ollama' }, { via: 'system' });
    const sent = Date.now();
    await writer.changes.notify('routes');
    expect(await heardByReader).toEqual(['providers', 'routes']);
    expect(arrivals[1]! - sent).toBeLessThan(1_000);
    // The writer hears its own changes once each, at once, not again through LISTEN.
    expect(await heardByWriter).toEqual(['providers', 'routes']);
  });

  it('re-listens after losing the connection and announces every topic, since changes may have been missed', async () => {
    const resync = collect((listener) => reader.changes.subscribe(listener), 4, 10_000);
    await reader.changes.ready();
    const admin = new pg.Client({ connectionString: scratchUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchyard-listen' AND datname = current_database()",
      );
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    expect((await resync).sort()).toEqual(['keys', 'providers', 'routes', 'settings']);
    const after = collect((listener) => reader.changes.subscribe(listener), 1, 2_000);
    await writer.changes.notify('settings');
    expect(await after).toEqual(['settings']);
  });
});
