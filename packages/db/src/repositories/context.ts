// What every repository shares: the database, a clock, a logger, and the one write path for
// configuration (transaction → whole-config validation → change notification).
import type { Clock, ProviderRegistry } from '@switchyard/core';
import type { ChangeTopic } from '../changes/change-notifier.ts';
import { validateStoredConfig } from '../config/validate-config.ts';
import type { Database } from '../database.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { DatabaseLogger } from '../logger.ts';
import { TRANSACTION_OPTIONS } from './db-client.ts';

export interface RepositoryContext {
  db: Database;
  clock: Clock;
  logger: DatabaseLogger;
  /** The provider types the application knows: every write is validated against them. */
  definitions: ProviderRegistry;
}

/** Tells running gateways; a failed notification is logged, since the write itself succeeded. */
export async function announce(
  context: RepositoryContext,
  topics: readonly ChangeTopic[],
): Promise<void> {
  for (const topic of new Set(topics)) {
    try {
      await context.db.changes.notify(topic);
    } catch (error) {
      context.logger.error(
        `Could not announce a change to "${topic}"; gateways pick it up on their next reload`,
        error,
      );
    }
  }
}

/**
 * Runs a configuration change in one transaction that also validates the resulting whole
 * configuration (a ConfigError rolls everything back), then announces the topics.
 */
export async function changeConfig<T>(
  context: RepositoryContext,
  topics: readonly ChangeTopic[],
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  const result = await context.db.prisma.$transaction(async (tx) => {
    const value = await work(tx);
    await validateStoredConfig(tx, context.db.secrets, context.definitions);
    return value;
  }, TRANSACTION_OPTIONS);
  await announce(context, topics);
  return result;
}
