// Bounds each wait for the next upstream event by the stream's idle timeout and the request's
// deadline, with one timer per stream rather than one per event (streams are the hot path).
import type { Clock } from '../util/clock.ts';
import { TIMED_OUT } from '../util/deadline.ts';

export class StreamWatchdog {
  /** When the current wait for an event began; undefined while the client holds the stream. */
  private waitingSince: number | undefined;
  private wake: ((value: typeof TIMED_OUT) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly idleTimeoutMs: number,
    /** The request's deadline (epoch ms). */
    private readonly deadline: number,
    private readonly clock: Clock,
  ) {}

  /** `next()`'s result, or TIMED_OUT once the wait ran past the idle timeout or the deadline. */
  wait<T>(next: () => Promise<T>): Promise<T | typeof TIMED_OUT> {
    const now = this.clock.now();
    if (now >= this.deadline) return Promise.resolve(TIMED_OUT);
    this.waitingSince = now;
    this.arm(now);
    return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
      this.wake = resolve;
      next().then(
        (value) => {
          this.settled();
          resolve(value);
        },
        (error: unknown) => {
          this.settled();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.settled();
  }

  private settled(): void {
    this.waitingSince = undefined;
    this.wake = undefined;
  }

  private dueAt(): number {
    return Math.min((this.waitingSince ?? this.clock.now()) + this.idleTimeoutMs, this.deadline);
  }

  /** An armed timer is kept: waits only move the due time later, and it re-checks when it fires. */
  private arm(now: number): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.check(), Math.max(0, this.dueAt() - now));
  }

  private check(): void {
    this.timer = undefined;
    // Time the client spends between reads is not upstream silence: the next wait re-arms.
    if (this.waitingSince === undefined) return;
    const now = this.clock.now();
    if (now < this.dueAt()) {
      this.arm(now);
      return;
    }
    const wake = this.wake;
    this.settled();
    wake?.(TIMED_OUT);
  }
}
