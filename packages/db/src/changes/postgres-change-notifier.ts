// LISTEN/NOTIFY on one channel. The listening connection is opened on the first subscription and
// re-opened with backoff when it drops; after a re-connect every topic is announced, since
// notifications sent while it was down are lost.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseLogger } from '../logger.ts';
import {
  CHANGE_TOPICS,
  isChangeTopic,
  ListenerSet,
  type ClosableChangeNotifier,
} from './change-notifier.ts';

export const CHANGE_CHANNEL = 'switchyard_changes';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export interface PostgresChangeNotifierOptions {
  connectionString: string;
  /** Sends the NOTIFY; a pool shared with the rest of the database. */
  pool: pg.Pool;
  logger: DatabaseLogger;
}

export function createPostgresChangeNotifier(
  options: PostgresChangeNotifierOptions,
): ClosableChangeNotifier {
  const { logger } = options;
  const listeners = new ListenerSet(logger);
  // Our own notifications come back through LISTEN; they were already delivered locally.
  const instanceId = randomUUID();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = FIRST_RETRY_MS;
  let closed = false;
  let everConnected = false;

  function onNotification(message: pg.Notification): void {
    if (message.channel !== CHANGE_CHANNEL || message.payload === undefined) return;
    const [topic, sender] = message.payload.split(':');
    if (sender === instanceId || topic === undefined || !isChangeTopic(topic)) return;
    listeners.emit(topic);
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void listen();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'switchyard-listen',
    });
    next.on('notification', onNotification);
    next.on('error', (error) => {
      logger.warn(`The change-notification connection failed (${error.message}); reconnecting`);
      if (client === next) client = undefined;
      next.end().catch(() => {});
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    retryMs = FIRST_RETRY_MS;
    if (everConnected) for (const topic of CHANGE_TOPICS) listeners.emit(topic);
    everConnected = true;
  }

  function listen(): Promise<void> {
    if (closed || client) return Promise.resolve();
    connecting ??= connect()
      .catch((error: unknown) => {
        logger.warn(
          `Cannot listen for configuration changes (${(error as Error).message}); retrying`,
        );
        scheduleReconnect();
      })
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  }

  return {
    async notify(topic) {
      listeners.emit(topic);
      await options.pool.query('SELECT pg_notify($1, $2)', [
        CHANGE_CHANNEL,
        `${topic}:${instanceId}`,
      ]);
    },
    subscribe(listener) {
      const unsubscribe = listeners.add(listener);
      void listen();
      return unsubscribe;
    },
    ready: () => listen(),
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await connecting;
      const current = client;
      client = undefined;
      await current?.end();
    },
  };
}
