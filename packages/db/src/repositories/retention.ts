// Retention: health results and request logs older than the settings allow (stored Responses API
// answers follow the request logs), and expired sessions, deleted in one call the server makes periodically (hourly is plenty). When several
// instances share one Postgres, a transaction-scoped advisory lock lets one of them prune at a
// time; the others skip that round.
import type { Database } from '../database.ts';
import { createHealthRepository } from './health.ts';
import type { Repositories } from './index.ts';
import { createRequestLogsRepository } from './request-logs.ts';
import { createStoredResponsesRepository } from './responses.ts';

export interface PruneResult {
  healthResults: number;
  requestLogs: number;
  sessions: number;
  /** Stored Responses API answers (in the scheduled, exclusive round). */
  storedResponses?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Shared by every instance: whoever holds it is pruning. */
export const RETENTION_LOCK = 7_316_402_916;

/** Deleting a large backlog may take a while; it runs off every request path. */
const PRUNE_TRANSACTION = { maxWait: 10_000, timeout: 10 * 60_000 } as const;

interface Cutoffs {
  health: Date;
  requestLogs: Date;
}

async function cutoffsFor(repositories: Repositories, now: number): Promise<Cutoffs> {
  const settings = await repositories.settings.get();
  return {
    health: new Date(now - settings.healthRetentionDays * DAY_MS),
    requestLogs: new Date(now - settings.requestLogRetentionDays * DAY_MS),
  };
}

export async function pruneByRetention(
  repositories: Repositories,
  now: number = Date.now(),
): Promise<PruneResult> {
  const cutoffs = await cutoffsFor(repositories, now);
  return {
    healthResults: await repositories.health.prune(cutoffs.health),
    requestLogs: await repositories.requestLogs.prune(cutoffs.requestLogs),
    sessions: await repositories.sessions.pruneExpired(),
  };
}

/**
 * `pruneByRetention` for one instance at a time: null when another instance holds the lock
 * (it is pruning the same rows right now).
 */
export async function pruneByRetentionExclusively(
  db: Database,
  repositories: Repositories,
  now: number = Date.now(),
): Promise<PruneResult | null> {
  const cutoffs = await cutoffsFor(repositories, now);
  return db.prisma.$transaction(async (tx) => {
    const [lock] = await tx.$queryRawUnsafe<Array<{ locked: boolean }>>(
      `SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`,
    );
    if (lock?.locked !== true) return null;
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const sessions = await tx.session.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
    return {
      healthResults: await createHealthRepository(tx).prune(cutoffs.health),
      requestLogs: await createRequestLogsRepository(tx, clock).prune(cutoffs.requestLogs),
      sessions: sessions.count,
      storedResponses: await createStoredResponsesRepository(tx).prune(cutoffs.requestLogs),
    };
  }, PRUNE_TRANSACTION);
}
