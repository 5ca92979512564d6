// A clock that only moves when a test says so.
import type { Clock } from '../../util/clock.ts';

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function manualClock(startMs = 1_700_000_000_000): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    sleep: (ms) => {
      current += Math.max(0, ms);
      return Promise.resolve();
    },
    advance: (ms) => {
      current += ms;
    },
    set: (epochMs) => {
      current = epochMs;
    },
  };
}
