// Bounding a call by time: one race between the call and a timer, shared by attempts, first-token
// waits and health checks, so each settles by its deadline even when the work ignores its signal.

export const TIMED_OUT = Symbol('timed-out');

export type TimedOut = typeof TIMED_OUT;

export interface DeadlineOptions {
  /** Settles early, rejecting with the signal's reason, when this signal aborts. */
  signal?: AbortSignal;
  /** Lets the process exit while the timer runs (background work such as health checks). */
  unref?: boolean;
}

/**
 * Settles with `promise`, or with TIMED_OUT after `ms` — calling `onTimeout` first, so the caller
 * can abort the work before anyone sees the timeout. The losing promise's rejection is handled.
 */
export async function raceDeadline<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout?: () => void,
  options: DeadlineOptions = {},
): Promise<T | TimedOut> {
  const { signal } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<TimedOut>((resolve, reject) => {
    timer = setTimeout(
      () => {
        onTimeout?.();
        resolve(TIMED_OUT);
      },
      Math.max(0, ms),
    );
    if (options.unref === true) timer.unref?.();
    if (signal === undefined) return;
    onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    // The loser may still reject once its work is aborted; that rejection is expected.
    promise.catch(() => undefined);
    timeout.catch(() => undefined);
  }
}
