// Quota decisions made by the shared store itself (Redis in multi-instance mode), so that a fleet
// admits exactly what one instance would: counting locally and reconciling afterwards cannot.
// Every call may reject (store away, timeout); callers then decide on their local counts.

/** One limit a request must fit under; all checks of one `take` are decided together. */
export type QuotaCheck =
  /**
   * A sliding window of `windowMs`: fits when the amounts recorded in the last `windowMs` plus
   * `need` stay within `limit`; on admission `add` is recorded (0 checks without recording).
   */
  | { kind: 'window'; limit: number; need: number; add: number }
  /** A semaphore of `limit` leases, each expiring `leaseMs` after it was taken or renewed. */
  | { kind: 'lease'; limit: number };

export interface QuotaSubject {
  /** Names the limited thing, e.g. `key:<id>` or `provider:<id>`: all its counters share one slot. */
  subject: string;
  /** The counter name under the subject (`requests`, `tokens`, `concurrency`). */
  checks: ReadonlyArray<QuotaCheck & { name: string }>;
}

export type QuotaVerdict =
  | { ok: true; id: string }
  /** `refused` holds the names of the checks without room; the wait is the longest of theirs. */
  | { ok: false; retryAfterMs: number; refused: string[] };

export type BudgetVerdict = { ok: true; id: string } | { ok: false };

export interface SharedQuota {
  /** Admits when every check has room and records them at once; `id` names what was recorded. */
  take(subject: QuotaSubject, windowMs: number, leaseMs: number): Promise<QuotaVerdict>;
  /** Replaces the amount recorded under `id` in a window (estimated tokens → actual tokens). */
  adjust(subject: string, name: string, id: string, amount: number): Promise<void>;
  /** Records an amount in a window without checking it (tokens counted after the answer). */
  add(subject: string, name: string, amount: number, windowMs: number): Promise<void>;
  /** Gives a lease back before it expires. */
  release(subject: string, name: string, id: string): Promise<void>;
  /** Keeps leases alive while their requests run. */
  renew(
    leases: ReadonlyArray<{ subject: string; name: string; id: string }>,
    leaseMs: number,
  ): Promise<void>;
  /**
   * Admits a request while the month's spend plus what admitted requests reserved is below
   * `budgetUsd`, and reserves the key's last request cost (its whole remaining budget while no cost
   * is known yet). `knownSpendUsd` is what this instance counted (seeded from logs), a floor.
   */
  reserveBudget(
    keyId: string,
    month: string,
    budgetUsd: number,
    knownSpendUsd: number,
    holdMs: number,
  ): Promise<BudgetVerdict>;
  /** Charges what the request cost and drops its reservation. */
  settleBudget(keyId: string, month: string, id: string, costUsd: number): Promise<void>;
}
