// The signed-in user for server components (pages and layouts), from the session cookie.
import { cookies } from 'next/headers';
import { getServices } from '../services.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import type { SessionUser } from '../api/trpc.ts';

export async function currentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const { repositories } = await getServices();
  const found = await repositories.sessions.get(token);
  return found ? { id: found.user.id, email: found.user.email, role: found.user.role } : null;
}

export async function needsSetup(): Promise<boolean> {
  const { repositories } = await getServices();
  return (await repositories.users.count()) === 0;
}
