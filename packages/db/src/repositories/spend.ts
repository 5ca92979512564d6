// Spend: request-log costs and tokens summed per key, route, provider or model over a time range,
// in the database (one GROUP BY per question), the same on PGlite and Postgres.
import type { DbClient } from './db-client.ts';

export const SPEND_DIMENSIONS = ['key', 'route', 'provider', 'model'] as const;
export type SpendDimension = (typeof SPEND_DIMENSIONS)[number];

export interface SpendFilter {
  by: SpendDimension;
  /** Inclusive lower bound. */
  since: Date;
  /** Exclusive upper bound. */
  until: Date;
}

export interface SpendRow {
  /** The key id, route, provider id or model; null for requests without one. */
  group: string | null;
  requests: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Requests that used tokens but had no price (their model has none, in the catalogue neither). */
  unpriced: number;
}

export interface SpendRepository {
  /** Highest cost first. */
  spend(filter: SpendFilter): Promise<SpendRow[]>;
}

const COLUMN = { key: 'keyId', route: 'route', provider: 'provider', model: 'model' } as const;

export function createSpendRepository(client: DbClient): SpendRepository {
  return {
    async spend(filter) {
      const column = COLUMN[filter.by];
      const range = { createdAt: { gte: filter.since, lt: filter.until } };
      const [groups, unpriced] = await Promise.all([
        client.requestLog.groupBy({
          by: [column],
          where: range,
          _count: { _all: true },
          _sum: {
            costUsd: true,
            inputTokens: true,
            outputTokens: true,
            cachedInputTokens: true,
            cacheWriteTokens: true,
            reasoningTokens: true,
          },
        }),
        client.requestLog.groupBy({
          by: [column],
          where: {
            ...range,
            costUsd: null,
            OR: [{ inputTokens: { gt: 0 } }, { outputTokens: { gt: 0 } }],
          },
          _count: { _all: true },
        }),
      ]);
      const unpricedBy = new Map(unpriced.map((group) => [group[column], group._count._all]));
      return groups
        .map((group) => ({
          group: group[column],
          requests: group._count._all,
          costUsd: group._sum.costUsd ?? 0,
          inputTokens: group._sum.inputTokens ?? 0,
          outputTokens: group._sum.outputTokens ?? 0,
          cachedInputTokens: group._sum.cachedInputTokens ?? 0,
          cacheWriteTokens: group._sum.cacheWriteTokens ?? 0,
          reasoningTokens: group._sum.reasoningTokens ?? 0,
          unpriced: unpricedBy.get(group[column]) ?? 0,
        }))
        .sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests);
    },
  };
}
