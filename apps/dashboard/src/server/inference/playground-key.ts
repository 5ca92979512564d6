// The playground calls the gateway like any app: with an API key. Each admin gets one key,
// named after them so it is visible (and revocable) on the keys page; its plaintext lives only
// in this process's memory, and a new one replaces it after a restart.
import type { Repositories } from '@switchyard/db';
import type { SessionUser } from '../api/trpc.ts';

const KEYS = Symbol.for('switchyard.dashboard.playground-keys');

type GlobalWithKeys = typeof globalThis & { [KEYS]?: Map<string, Promise<string>> };

function cache(): Map<string, Promise<string>> {
  const holder = globalThis as GlobalWithKeys;
  holder[KEYS] ??= new Map();
  return holder[KEYS];
}

export function playgroundKeyName(user: SessionUser): string {
  return `Playground (${user.email})`;
}

async function createKey(
  repositories: Repositories,
  user: SessionUser,
  onCreated: () => Promise<void>,
): Promise<string> {
  const name = playgroundKeyName(user);
  const actor = { userId: user.id, email: user.email, via: 'dashboard' as const };
  for (const key of await repositories.keys.list())
    if (key.name === name && !key.revokedAt) await repositories.keys.revoke(key.id, actor);
  const { key } = await repositories.keys.create({ name }, actor);
  await onCreated();
  return key;
}

/** The user's playground key, created on first use. */
export function playgroundKey(
  repositories: Repositories,
  user: SessionUser,
  onCreated: () => Promise<void>,
): Promise<string> {
  const keys = cache();
  let key = keys.get(user.id);
  if (!key) {
    key = createKey(repositories, user, onCreated);
    keys.set(user.id, key);
    key.catch(() => keys.delete(user.id));
  }
  return key;
}

/** Forgets a key the gateway refused (revoked on the keys page), so the next call makes a new one. */
export function forgetPlaygroundKey(user: SessionUser): void {
  cache().delete(user.id);
}
