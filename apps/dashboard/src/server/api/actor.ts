// Who made a change, for the audit log.
import type { Actor } from '@switchyard/db';
import type { Session } from './trpc.ts';

export function actorOf(session: Session): Actor {
  return { userId: session.user.id, email: session.user.email, via: 'dashboard' };
}
