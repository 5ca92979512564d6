'use client';
import { createContext, useContext, type ReactNode } from 'react';
import type { SessionUser } from '../server/api/trpc.ts';

const SessionUserContext = createContext<SessionUser | null>(null);

export function SessionUserProvider({
  user,
  children,
}: {
  user: SessionUser;
  children: ReactNode;
}) {
  return <SessionUserContext.Provider value={user}>{children}</SessionUserContext.Provider>;
}

/** The signed-in user; pages use `isAdmin` to hide what a viewer may not change. */
export function useSessionUser(): SessionUser & { isAdmin: boolean } {
  const user = useContext(SessionUserContext);
  if (!user) throw new Error('useSessionUser needs a SessionUserProvider');
  return { ...user, isAdmin: user.role === 'admin' };
}
