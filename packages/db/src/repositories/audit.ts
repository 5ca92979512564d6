// The audit log: who changed what, with the record before and after. Records passed here are the
// repositories' public records, which hold no secrets.
import type { Prisma } from '../generated/prisma/client.ts';
import { jsonOrNull, type DbClient } from './db-client.ts';

export type ActorVia = 'dashboard' | 'import' | 'system' | 'cli';
export type Actor = { userId?: string; email?: string; via: ActorVia };

export type AuditEntity = 'provider' | 'route' | 'key' | 'settings' | 'user' | 'config' | 'webhook';
export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'enable'
  | 'disable'
  | 'reorder'
  | 'revoke'
  | 'rotate'
  | 'import'
  | 'rotate-secret-key'
  | 'sign-in'
  | 'sign-in-failed'
  | 'set-password';

export interface AuditRecord {
  id: string;
  createdAt: Date;
  actor: Actor;
  action: string;
  entity: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditListFilter {
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  entity?: AuditEntity;
}

export interface AuditChange {
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string;
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(
  client: DbClient,
  actor: Actor,
  change: AuditChange,
): Promise<void> {
  await client.auditLog.create({
    data: {
      actorUserId: actor.userId ?? null,
      actorEmail: actor.email ?? null,
      via: actor.via,
      action: change.action,
      entity: change.entity,
      entityId: change.entityId ?? null,
      before: jsonOrNull(change.before),
      after: jsonOrNull(change.after),
    },
  });
}

const VIAS: readonly string[] = ['dashboard', 'import', 'system', 'cli'] satisfies ActorVia[];

function toAuditRecord(row: Prisma.AuditLogGetPayload<object>): AuditRecord {
  const via = VIAS.includes(row.via) ? (row.via as ActorVia) : 'system';
  return {
    id: row.id.toString(),
    createdAt: row.createdAt,
    actor: {
      via,
      ...(row.actorUserId ? { userId: row.actorUserId } : {}),
      ...(row.actorEmail ? { email: row.actorEmail } : {}),
    },
    action: row.action,
    entity: row.entity,
    ...(row.entityId ? { entityId: row.entityId } : {}),
    ...(row.before !== null ? { before: row.before } : {}),
    ...(row.after !== null ? { after: row.after } : {}),
  };
}

export interface AuditRepository {
  /** Newest first. */
  list(filter: AuditListFilter): Promise<{ items: AuditRecord[]; nextCursor?: string }>;
}

export function createAuditRepository(client: DbClient): AuditRepository {
  return {
    async list(filter: AuditListFilter): Promise<{ items: AuditRecord[]; nextCursor?: string }> {
      const limit = Math.min(Math.max(1, Math.trunc(filter.limit)), 500);
      const rows = await client.auditLog.findMany({
        where: {
          ...(filter.entity ? { entity: filter.entity } : {}),
          ...(filter.cursor && /^\d+$/.test(filter.cursor)
            ? { id: { lt: BigInt(filter.cursor) } }
            : {}),
        },
        orderBy: { id: 'desc' },
        take: limit + 1,
      });
      const items = rows.slice(0, limit).map(toAuditRecord);
      const last = items.at(-1);
      return rows.length > limit && last ? { items, nextCursor: last.id } : { items };
    },
  };
}
