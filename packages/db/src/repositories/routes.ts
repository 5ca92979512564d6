// Routes: virtual models with ordered or weighted targets, a strategy, fallbacks, retries,
// timeouts and cache.
import { ConfigError, routeSchema, toFieldIssues, type RouteConfig } from '@switchyard/core';
import {
  routeInclude,
  routeRowToInput,
  type RouteInput,
  type RouteRow,
} from '../config/config-rows.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { writeAudit, type Actor } from './audit.ts';
import { changeConfig, type RepositoryContext } from './context.ts';
import type { DbClient } from './db-client.ts';

export type { RouteInput };

export interface RouteRecord extends RouteConfig {
  createdAt: Date;
  updatedAt: Date;
}

export interface RoutesRepository {
  list(): Promise<RouteRecord[]>;
  get(name: string): Promise<RouteRecord | null>;
  /** Creates the route or replaces the one with this name (targets included). */
  upsert(route: RouteInput, actor: Actor): Promise<RouteRecord>;
  /** Refused with `ConflictError` while another route falls back to it or it is the default route. */
  remove(name: string, actor: Actor): Promise<void>;
}

export function parseRoute(input: RouteInput): RouteConfig {
  const result = routeSchema.safeParse(input);
  if (!result.success) throw new ConfigError(toFieldIssues(result.error));
  return result.data;
}

export function toRouteRecord(row: RouteRow): RouteRecord {
  return {
    ...parseRoute(routeRowToInput(row)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function routeData(route: RouteConfig) {
  return {
    kind: route.kind ?? null,
    strategy: route.strategy ?? null,
    fallbacks: route.fallbacks,
    contextLengthFallback: route.contextLengthFallback ?? null,
    retryAttempts: route.retryAttempts ?? null,
    retryDelayMs: route.retryDelay ?? null,
    timeoutMs: route.timeout ?? null,
    requestTimeoutMs: route.requestTimeout ?? null,
    firstTokenTimeoutMs: route.firstTokenTimeout ?? null,
    maxTokens: route.maxTokens ?? null,
    cacheEnabled: route.cache?.enabled ?? null,
    cacheTtlSeconds: route.cache?.ttlSeconds ?? null,
    logBodies: route.logBodies ?? null,
  } satisfies Omit<Prisma.RouteUncheckedCreateInput, 'name'>;
}

/** Writes the route and its targets; returns the row as it was before, if any. */
export async function writeRoute(client: DbClient, route: RouteConfig): Promise<RouteRow | null> {
  const providerIds = [...new Set(route.targets.map((target) => target.provider))];
  const known = new Set(
    (
      await client.provider.findMany({ where: { id: { in: providerIds } }, select: { id: true } })
    ).map((row) => row.id),
  );
  const unknown = route.targets.flatMap((target, index) =>
    known.has(target.provider)
      ? []
      : [
          {
            path: `route "${route.name}".targets[${index}].provider`,
            message: `unknown provider "${target.provider}"`,
          },
        ],
  );
  if (unknown.length > 0) throw new ConfigError(unknown);
  const before = await client.route.findUnique({
    where: { name: route.name },
    include: routeInclude,
  });
  const data = routeData(route);
  await client.route.upsert({
    where: { name: route.name },
    create: { name: route.name, ...data },
    update: data,
  });
  await client.routeTarget.deleteMany({ where: { routeName: route.name } });
  if (route.targets.length > 0)
    await client.routeTarget.createMany({
      data: route.targets.map((target, position) => ({
        routeName: route.name,
        position,
        providerId: target.provider,
        model: target.model ?? null,
        weight: target.weight,
      })),
    });
  return before;
}

async function findRoute(client: DbClient, name: string): Promise<RouteRow> {
  const row = await client.route.findUnique({ where: { name }, include: routeInclude });
  if (!row) throw new NotFoundError('route', name);
  return row;
}

export function createRoutesRepository(context: RepositoryContext): RoutesRepository {
  const { prisma } = context.db;

  return {
    async list() {
      const rows = await prisma.route.findMany({
        include: routeInclude,
        orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
      });
      return rows.map(toRouteRecord);
    },

    async get(name) {
      const row = await prisma.route.findUnique({ where: { name }, include: routeInclude });
      return row ? toRouteRecord(row) : null;
    },

    async upsert(input, actor) {
      const route = parseRoute(input);
      return changeConfig(context, ['routes'], async (tx) => {
        const before = await writeRoute(tx, route);
        const record = toRouteRecord(await findRoute(tx, route.name));
        await writeAudit(tx, actor, {
          action: before ? 'update' : 'create',
          entity: 'route',
          entityId: route.name,
          before: before ? toRouteRecord(before) : undefined,
          after: record,
        });
        return record;
      });
    },

    async remove(name, actor) {
      await changeConfig(context, ['routes'], async (tx) => {
        const row = await findRoute(tx, name);
        const dependents = await tx.route.findMany({
          where: {
            OR: [{ fallbacks: { has: name } }, { contextLengthFallback: name }],
            NOT: { name },
          },
          select: { name: true },
        });
        if (dependents.length > 0)
          throw new ConflictError(
            `Route "${name}" is a fallback of ${dependents.map((route) => `"${route.name}"`).join(', ')}; change those routes first`,
          );
        const settings = await tx.settings.findUnique({
          where: { id: 1 },
          select: { defaultRoute: true },
        });
        if (settings?.defaultRoute === name)
          throw new ConflictError(
            `Route "${name}" is the default route; choose another default first`,
          );
        await tx.route.delete({ where: { name } });
        await writeAudit(tx, actor, {
          action: 'delete',
          entity: 'route',
          entityId: name,
          before: toRouteRecord(row),
        });
      });
    },
  };
}
