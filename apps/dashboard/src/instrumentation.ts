// Runs once when the server starts: opens the database and the gateway right away (so the first
// request does not wait, and a broken setup shows at once), then says where to go.
import { env } from './env.ts';

export async function register(): Promise<void> {
  // `process.env.NEXT_RUNTIME` is read literally (not through env.ts) because Next replaces it at
  // build time: that is what keeps the Node-only server code out of the Edge bundle.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (env().NEXT_PHASE === 'phase-production-build') return;
  const { startAndAnnounce } = await import('./server/announce.ts');
  await startAndAnnounce();
}
