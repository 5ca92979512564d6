// Names for the records an audit entry points at: keys and users are stored by UUID, which says
// nothing to an operator, so the entry carries the key's name or the user's email beside it.
import type { AuditRecord, Repositories } from '@switchyard/db';

export type NamedAuditRecord = AuditRecord & { entityName: string | null };

/** A name the entry itself recorded (a deleted record is no longer there to look up). */
function recordedName(entry: AuditRecord): string | null {
  for (const side of [entry.after, entry.before]) {
    if (!side || typeof side !== 'object') continue;
    const record = side as { name?: unknown; email?: unknown };
    if (typeof record.name === 'string') return record.name;
    if (typeof record.email === 'string') return record.email;
  }
  return null;
}

export async function withEntityNames(
  entries: AuditRecord[],
  repositories: Pick<Repositories, 'keys' | 'users'>,
): Promise<NamedAuditRecord[]> {
  const wants = (entity: string) => entries.some((entry) => entry.entity === entity);
  const [keys, users] = await Promise.all([
    wants('key') ? repositories.keys.list() : [],
    wants('user') ? repositories.users.list() : [],
  ]);
  const names = new Map<string, string>([
    ...keys.map((key) => [`key:${key.id}`, key.name] as const),
    ...users.map((user) => [`user:${user.id}`, user.email] as const),
  ]);
  return entries.map((entry) => {
    const current =
      entry.entityId === undefined ? undefined : names.get(`${entry.entity}:${entry.entityId}`);
    const entityName =
      entry.entity === 'key' || entry.entity === 'user' ? (current ?? recordedName(entry)) : null;
    return { ...entry, entityName };
  });
}
