// Retention: health results and request logs older than the settings allow, and expired
// sessions, deleted in one call the server makes periodically (hourly is plenty).
import type { Repositories } from './index.ts';

export interface PruneResult {
  healthResults: number;
  requestLogs: number;
  sessions: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function pruneByRetention(
  repositories: Repositories,
  now: number = Date.now(),
): Promise<PruneResult> {
  const settings = await repositories.settings.get();
  return {
    healthResults: await repositories.health.prune(
      new Date(now - settings.healthRetentionDays * DAY_MS),
    ),
    requestLogs: await repositories.requestLogs.prune(
      new Date(now - settings.requestLogRetentionDays * DAY_MS),
    ),
    sessions: await repositories.sessions.pruneExpired(),
  };
}
