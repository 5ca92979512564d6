// Retention on a schedule: every server process that owns the database prunes once shortly after
// start and then every hour; the database's advisory lock lets one instance at a time do it.
import type { Logger } from 'pino';

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** The first round waits a little, so that starting up is not slowed by a large backlog. */
export const RETENTION_FIRST_DELAY_MS = 30_000;

export interface RetentionScheduleOptions {
  /** One pruning round; resolves to null when another instance did it. */
  prune: () => Promise<object | null>;
  intervalMs?: number | undefined;
  firstDelayMs?: number | undefined;
  logger?: Logger | undefined;
}

/** Starts the schedule; the returned function stops it and waits for a round in progress. */
export function scheduleRetention(options: RetentionScheduleOptions): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const round = () => {
    if (stopped || running) return;
    running = options
      .prune()
      .then((result) => {
        if (result) options.logger?.info({ pruned: result }, 'retention: old rows deleted');
      })
      .catch((error: unknown) => options.logger?.warn({ err: error }, 'retention failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(round, options.firstDelayMs ?? RETENTION_FIRST_DELAY_MS);
  const every = setInterval(round, options.intervalMs ?? RETENTION_INTERVAL_MS);
  first.unref();
  every.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
    await running;
  };
}
