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
import { ConflictError, NotFoundError } from '../errors.ts';
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

/** A change to a key's settings: absent fields stay as they are, `null` clears one. */
export interface ApiKeyUpdateInput {
  name?: string;
  allowedRoutes?: string[];
  limits?: KeyLimits | null;
  monthlyBudgetUsd?: number | null;
  expiresAt?: Date | string | null;
  strategy?: Strategy | null;
}

/** What a key's requests came to over a period, from the request log. */
export interface KeyUsage {
  requests: number;
  /** Requests answered with a status of 400 or more. */
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The same figures per model that answered, most requests first. */
  byModel: {
    model: string;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
  }[];
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
  /** Changes limits, budget, expiry, allowed routes or name, validated as `create` validates. */
  update(id: string, patch: ApiKeyUpdateInput, actor: Actor): Promise<ApiKeyRecord>;
  /**
   * Gives the key a new secret, keeping its id, settings and usage history; the old secret stops
   * working once the gateway reloads its keys. The new plaintext is in this answer only.
   */
  rotate(id: string, actor: Actor): Promise<{ record: ApiKeyRecord; key: string }>;
  revoke(id: string, actor: Actor): Promise<void>;
  /** Sets the key's body logging: on, off, or null to follow the route and Settings. */
  setLogBodies(id: string, logBodies: boolean | null, actor: Actor): Promise<ApiKeyRecord>;
  /** Requests, tokens and cost of one key's requests in [since, until). */
  usage(id: string, period: { since: Date; until: Date }): Promise<KeyUsage>;
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

/** The patch's value when given, none for `null`, the current value when absent. */
function valueOf<T>(patch: T | null | undefined, current: T | undefined): T | undefined {
  if (patch === null) return undefined;
  return patch ?? current;
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

    async update(id, patch, actor) {
      return changeConfig(context, ['keys'], async (tx) => {
        const row = await tx.apiKey.findUnique({ where: { id } });
        if (!row) throw new NotFoundError('key', id);
        if (row.revokedAt) throw new ConflictError(`The key "${row.name}" is revoked.`);
        const before = toApiKeyRecord(row);
        const merged = {
          name: patch.name ?? row.name,
          hash: row.hash,
          allowedRoutes: patch.allowedRoutes ?? row.allowedRoutes,
          limits: valueOf(patch.limits, before.limits),
          monthlyBudgetUsd: valueOf(patch.monthlyBudgetUsd, before.monthlyBudgetUsd),
          expiresAt: valueOf(patch.expiresAt, before.expiresAt),
          strategy: valueOf(patch.strategy, before.strategy),
        };
        const result = apiKeySchema.safeParse(merged);
        if (!result.success) throw new ConfigError(toFieldIssues(result.error));
        const parsed = result.data;
        const updated = await tx.apiKey.update({
          where: { id },
          data: {
            name: parsed.name,
            allowedRoutes: parsed.allowedRoutes,
            limits: jsonOrNull(parsed.limits),
            strategy: parsed.strategy ?? null,
            monthlyBudgetUsd: parsed.monthlyBudgetUsd ?? null,
            expiresAt: parsed.expiresAt ?? null,
          },
        });
        const record = toApiKeyRecord(updated);
        await writeAudit(tx, actor, {
          action: 'update',
          entity: 'key',
          entityId: id,
          before,
          after: record,
        });
        return record;
      });
    },

    async rotate(id, actor) {
      const key = generateApiKey();
      return changeConfig(context, ['keys'], async (tx) => {
        const row = await tx.apiKey.findUnique({ where: { id } });
        if (!row) throw new NotFoundError('key', id);
        if (row.revokedAt) throw new ConflictError(`The key "${row.name}" is revoked.`);
        const rotated = await tx.apiKey.update({
          where: { id },
          data: { hash: hashApiKey(key), prefix: apiKeyPrefix(key) },
        });
        const record = toApiKeyRecord(rotated);
        await writeAudit(tx, actor, {
          action: 'rotate',
          entity: 'key',
          entityId: id,
          before: toApiKeyRecord(row),
          after: record,
        });
        return { record, key };
      });
    },

    async usage(id, period) {
      const where = { keyId: id, createdAt: { gte: period.since, lt: period.until } };
      const [groups, failed] = await Promise.all([
        prisma.requestLog.groupBy({
          by: ['model'],
          where,
          _count: { _all: true },
          _sum: { inputTokens: true, outputTokens: true, costUsd: true },
        }),
        prisma.requestLog.count({ where: { ...where, status: { gte: 400 } } }),
      ]);
      const byModel = groups
        .map((group) => ({
          model: group.model ?? '(none)',
          requests: group._count._all,
          inputTokens: group._sum.inputTokens ?? 0,
          outputTokens: group._sum.outputTokens ?? 0,
          costUsd: group._sum.costUsd ?? 0,
        }))
        .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
      const total = (field: 'requests' | 'inputTokens' | 'outputTokens' | 'costUsd') =>
        byModel.reduce((sum, entry) => sum + entry[field], 0);
      return {
        requests: total('requests'),
        failed,
        inputTokens: total('inputTokens'),
        outputTokens: total('outputTokens'),
        costUsd: total('costUsd'),
        byModel,
      };
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
