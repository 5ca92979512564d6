// Virtual API keys. The plaintext exists once, in the answer to `create`; the database keeps its
// SHA-256 digest and the visible prefix.
import {
  apiKeyPrefix,
  apiKeySchema,
  ConfigError,
  generateApiKey,
  hashApiKey,
  toFieldIssues,
  type Clock,
  type KeyLimits,
  type Strategy,
} from '@switchyard/core';
import { asStrategy, keyLimits, type ApiKeyRow } from '../config/config-rows.ts';
import { NotFoundError } from '../errors.ts';
import { writeAudit, type Actor } from './audit.ts';
import { changeConfig, type RepositoryContext } from './context.ts';
import { compact, jsonOrNull } from './db-client.ts';

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The visible start, e.g. `sk-sy-AbC123`; absent for keys imported as a bare hash. */
  prefix?: string;
  allowedRoutes: string[];
  limits?: KeyLimits;
  strategy?: Strategy;
  /** Body logging for this key's requests; absent follows the route and Settings. */
  logBodies?: boolean;
  monthlyBudgetUsd?: number;
  expiresAt?: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
  createdAt: Date;
}

export interface ApiKeyCreateInput {
  name: string;
  /** Route or model names the key may use; empty or absent means all. */
  allowedRoutes?: string[];
  limits?: KeyLimits;
  monthlyBudgetUsd?: number;
  expiresAt?: Date | string;
  strategy?: Strategy;
  logBodies?: boolean;
}

/** What the gateway keeps in memory to authenticate requests without a database read. */
export interface ActiveKey {
  id: string;
  name: string;
  hash: string;
  allowedRoutes: string[];
  limits?: KeyLimits;
  strategy?: Strategy;
  logBodies?: boolean;
  monthlyBudgetUsd?: number;
  expiresAt?: Date;
}

export interface KeysRepository {
  list(): Promise<ApiKeyRecord[]>;
  create(input: ApiKeyCreateInput, actor: Actor): Promise<{ record: ApiKeyRecord; key: string }>;
  revoke(id: string, actor: Actor): Promise<void>;
  /** Sets the key's body logging: on, off, or null to follow the route and Settings. */
  setLogBodies(id: string, logBodies: boolean | null, actor: Actor): Promise<ApiKeyRecord>;
  /** Not revoked and not expired. */
  activeKeys(): Promise<ActiveKey[]>;
  /** keyId → USD spent since the 1st of the current month (UTC). */
  monthToDateSpend(): Promise<Map<string, number>>;
  /** Sets lastUsedAt to now for these keys, in one statement. */
  touch(ids: string[]): Promise<void>;
}

export function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return compact({
    id: row.id,
    name: row.name,
    prefix: row.prefix ?? undefined,
    allowedRoutes: row.allowedRoutes,
    limits: keyLimits(row),
    strategy: asStrategy(row.strategy),
    logBodies: row.logBodies ?? undefined,
    monthlyBudgetUsd: row.monthlyBudgetUsd ?? undefined,
    expiresAt: row.expiresAt ?? undefined,
    revokedAt: row.revokedAt ?? undefined,
    lastUsedAt: row.lastUsedAt ?? undefined,
    createdAt: row.createdAt,
  });
}

export function startOfMonthUtc(now: number): Date {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function createKeysRepository(context: RepositoryContext): KeysRepository {
  const { prisma } = context.db;
  const clock: Clock = context.clock;

  return {
    async list() {
      const rows = await prisma.apiKey.findMany({
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(toApiKeyRecord);
    },

    async create(input, actor) {
      const key = generateApiKey();
      const result = apiKeySchema.safeParse({ ...input, key });
      if (!result.success) throw new ConfigError(toFieldIssues(result.error));
      const parsed = result.data;
      return changeConfig(context, ['keys'], async (tx) => {
        const row = await tx.apiKey.create({
          data: {
            name: parsed.name,
            hash: hashApiKey(key),
            prefix: apiKeyPrefix(key),
            allowedRoutes: parsed.allowedRoutes,
            limits: jsonOrNull(parsed.limits),
            strategy: parsed.strategy ?? null,
            logBodies: parsed.logBodies ?? null,
            monthlyBudgetUsd: parsed.monthlyBudgetUsd ?? null,
            expiresAt: parsed.expiresAt ?? null,
          },
        });
        const record = toApiKeyRecord(row);
        await writeAudit(tx, actor, {
          action: 'create',
          entity: 'key',
          entityId: row.id,
          after: record,
        });
        return { record, key };
      });
    },

    async revoke(id, actor) {
      await changeConfig(context, ['keys'], async (tx) => {
        const row = await tx.apiKey.findUnique({ where: { id } });
        if (!row) throw new NotFoundError('key', id);
        if (row.revokedAt) return;
        const revoked = await tx.apiKey.update({
          where: { id },
          data: { revokedAt: new Date(clock.now()) },
        });
        await writeAudit(tx, actor, {
          action: 'revoke',
          entity: 'key',
          entityId: id,
          before: toApiKeyRecord(row),
          after: toApiKeyRecord(revoked),
        });
      });
    },

    async setLogBodies(id, logBodies, actor) {
      return changeConfig(context, ['keys'], async (tx) => {
        const row = await tx.apiKey.findUnique({ where: { id } });
        if (!row) throw new NotFoundError('key', id);
        const updated = await tx.apiKey.update({ where: { id }, data: { logBodies } });
        const record = toApiKeyRecord(updated);
        await writeAudit(tx, actor, {
          action: 'update',
          entity: 'key',
          entityId: id,
          before: toApiKeyRecord(row),
          after: record,
        });
        return record;
      });
    },

    async activeKeys() {
      const now = new Date(clock.now());
      const rows = await prisma.apiKey.findMany({
        where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((row) =>
        compact({
          id: row.id,
          name: row.name,
          hash: row.hash,
          allowedRoutes: row.allowedRoutes,
          limits: keyLimits(row),
          strategy: asStrategy(row.strategy),
          logBodies: row.logBodies ?? undefined,
          monthlyBudgetUsd: row.monthlyBudgetUsd ?? undefined,
          expiresAt: row.expiresAt ?? undefined,
        }),
      );
    },

    async monthToDateSpend() {
      const groups = await prisma.requestLog.groupBy({
        by: ['keyId'],
        where: { keyId: { not: null }, createdAt: { gte: startOfMonthUtc(clock.now()) } },
        _sum: { costUsd: true },
      });
      const spend = new Map<string, number>();
      for (const group of groups) if (group.keyId) spend.set(group.keyId, group._sum.costUsd ?? 0);
      return spend;
    },

    async touch(ids) {
      if (ids.length === 0) return;
      await prisma.apiKey.updateMany({
        where: { id: { in: [...new Set(ids)] } },
        data: { lastUsedAt: new Date(clock.now()) },
      });
    },
  };
}
