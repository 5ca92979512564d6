// Health check results over time: what the monitor saw, for the dashboard's history and for the
// latest state after a restart. Pruned by age.
import type { DbClient } from './db-client.ts';
import { compact } from './db-client.ts';

export interface HealthCheckInput {
  providerId: string;
  /** When the check ran: a Date or epoch milliseconds. */
  checkedAt: Date | number;
  isHealthy: boolean;
  /** Milliseconds. */
  responseTime?: number;
  error?: string;
  /** Where the verdict came from, e.g. probe | custom | traffic. */
  source?: string;
  circuitState?: string;
}

export interface HealthCheckRecord {
  id: string;
  providerId: string;
  checkedAt: Date;
  isHealthy: boolean;
  responseTime?: number;
  error?: string;
  source?: string;
  circuitState?: string;
}

export interface HealthRepository {
  record(results: HealthCheckInput[]): Promise<void>;
  /** The newest result per provider. */
  latest(): Promise<HealthCheckRecord[]>;
  /** One provider's results at or after `sinceMs` (epoch milliseconds), oldest first. */
  history(providerId: string, sinceMs: number): Promise<HealthCheckRecord[]>;
  /** Deletes results older than `olderThan`; returns how many. */
  prune(olderThan: Date): Promise<number>;
}

interface HealthRow {
  id: bigint;
  providerId: string;
  checkedAt: Date;
  isHealthy: boolean;
  responseTimeMs: number | null;
  error: string | null;
  source: string | null;
  circuitState: string | null;
}

/** The history of one provider is capped; the dashboard charts at most this many points. */
export const HEALTH_HISTORY_LIMIT = 5_000;

function toHealthRecord(row: HealthRow): HealthCheckRecord {
  return compact({
    id: row.id.toString(),
    providerId: row.providerId,
    checkedAt: row.checkedAt,
    isHealthy: row.isHealthy,
    responseTime: row.responseTimeMs ?? undefined,
    error: row.error ?? undefined,
    source: row.source ?? undefined,
    circuitState: row.circuitState ?? undefined,
  });
}

export function createHealthRepository(client: DbClient): HealthRepository {
  return {
    async record(results) {
      if (results.length === 0) return;
      await client.healthCheckResult.createMany({
        data: results.map((result) => ({
          providerId: result.providerId,
          checkedAt: new Date(result.checkedAt),
          isHealthy: result.isHealthy,
          responseTimeMs:
            result.responseTime === undefined ? null : Math.round(result.responseTime),
          error: result.error ?? null,
          source: result.source ?? null,
          circuitState: result.circuitState ?? null,
        })),
      });
    },

    async latest() {
      const rows = await client.$queryRaw<HealthRow[]>`
        SELECT DISTINCT ON ("providerId") "id", "providerId", "checkedAt", "isHealthy", "responseTimeMs", "error", "source", "circuitState"
        FROM "HealthCheckResult"
        ORDER BY "providerId", "checkedAt" DESC, "id" DESC`;
      return rows.map(toHealthRecord);
    },

    async history(providerId, sinceMs) {
      const rows = await client.healthCheckResult.findMany({
        where: { providerId, checkedAt: { gte: new Date(sinceMs) } },
        orderBy: [{ checkedAt: 'desc' }, { id: 'desc' }],
        take: HEALTH_HISTORY_LIMIT,
      });
      return rows.reverse().map(toHealthRecord);
    },

    async prune(olderThan) {
      const { count } = await client.healthCheckResult.deleteMany({
        where: { checkedAt: { lt: olderThan } },
      });
      return count;
    },
  };
}
