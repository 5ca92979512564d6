import type { AuditRecord, Repositories } from '@switchyard/db';
import { describe, expect, it } from 'vitest';
import { withEntityNames } from './audit-names.ts';

const KEY_ID = '0b6c1f2e-7d4a-4e61-9a0e-3c2b1d5e8f70';
const USER_ID = '5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const GONE_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

function entry(entity: string, entityId: string, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `${entity}-${entityId}`,
    createdAt: new Date(0),
    actor: { via: 'dashboard', email: 'admin@example.com' },
    action: 'update',
    entity,
    entityId,
    ...extra,
  };
}

const repositories = {
  keys: { list: () => Promise.resolve([{ id: KEY_ID, name: 'support-bot' }]) },
  users: { list: () => Promise.resolve([{ id: USER_ID, email: 'ops@example.com' }]) },
} as unknown as Pick<Repositories, 'keys' | 'users'>;

describe('audit entity names', () => {
  it('names keys and users instead of their UUIDs, also once they are deleted', async () => {
    const named = await withEntityNames(
      [
        entry('key', KEY_ID),
        entry('user', USER_ID),
        entry('user', GONE_ID, { action: 'delete', before: { email: 'gone@example.com' } }),
        entry('provider', 'primary-mock'),
      ],
      repositories,
    );
    expect(named.map((item) => item.entityName)).toEqual([
      'support-bot',
      'ops@example.com',
      'gone@example.com',
      null,
    ]);
    expect(named[0]?.entityId).toBe(KEY_ID);
  });

  it('looks nothing up when no entry is about a key or a user', async () => {
    const untouched = {
      keys: { list: () => Promise.reject(new Error('not needed')) },
      users: { list: () => Promise.reject(new Error('not needed')) },
    } as unknown as Pick<Repositories, 'keys' | 'users'>;
    const named = await withEntityNames([entry('route', 'chat')], untouched);
    expect(named[0]?.entityName).toBeNull();
  });
});
