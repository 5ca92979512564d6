// Runs once when the server starts: opens the database and the gateway right away (so the first
// request does not wait, and a broken setup shows at once), then says where to go.
import { env } from './env.ts';

export async function register(): Promise<void> {
  const settings = env();
  if (settings.NEXT_RUNTIME !== 'nodejs' || settings.NEXT_PHASE === 'phase-production-build') return;
  const { startAndAnnounce } = await import('./server/announce.ts');
  await startAndAnnounce();
}
