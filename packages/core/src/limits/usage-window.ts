// Usage over a rolling window (requests or tokens per minute). This instance's own usage is an
// exact log, so capacity frees exactly when an entry ages out and retry-after values are real.
// With a shared StateStore, usage is also added to per-window counters there; what other
// instances used in the current window comes back from those counters and counts too.
import type { StateStore } from '../state/state-store.ts';
import { writeInBackground } from '../state/state-store.ts';

interface Entry {
  at: number;
  amount: number;
  expired: boolean;
}

/** A recorded use whose amount can still be corrected (estimated tokens → actual tokens). */
export interface UsageHandle {
  adjust(amount: number): void;
}

export interface UsageWindowOptions {
  windowMs: number;
  /** Key prefix of this window's shared counters; shared only when a store is given too. */
  sharedKey?: string;
  store?: StateStore;
}

export class UsageWindow {
  private readonly windowMs: number;
  private readonly sharedKey: string | undefined;
  private readonly store: StateStore | undefined;
  private entries: Entry[] = [];
  private head = 0;
  private total = 0;
  /** The shared window (index of `now / windowMs`) the two counts below belong to. */
  private sharedWindow = -1;
  private ownInSharedWindow = 0;
  private othersInSharedWindow = 0;

  constructor(options: UsageWindowOptions) {
    this.windowMs = options.windowMs;
    this.sharedKey = options.sharedKey;
    this.store = options.store;
  }

  /** Usage in the window ending now: this instance's own plus what others reported. */
  used(now: number): number {
    this.prune(now);
    return this.total + this.others(now);
  }

  record(now: number, amount: number): UsageHandle {
    this.prune(now);
    const entry: Entry = { at: now, amount, expired: false };
    this.entries.push(entry);
    this.total += amount;
    this.share(now, amount);
    return {
      adjust: (next) => {
        const delta = next - entry.amount;
        if (delta === 0 || entry.expired) return;
        entry.amount = next;
        this.total += delta;
        this.share(entry.at, delta);
      },
    };
  }

  /**
   * Ms until `amount` more fits under `limit` (0 when it fits now). Walks forward through the
   * moments usage drops — an own entry ageing out, the shared window ending — so the answer is
   * the first moment it really fits. An amount larger than the limit fits once the window is empty.
   */
  waitFor(now: number, amount: number, limit: number): number {
    this.prune(now);
    const need = Math.min(amount, limit);
    let usage = this.total;
    let others = this.others(now);
    if (usage + others + need <= limit) return 0;
    const sharedWindowEnd = (this.sharedWindow + 1) * this.windowMs;
    for (let index = this.head; index < this.entries.length; index++) {
      const entry = this.entries[index];
      if (entry === undefined) continue;
      const freedAt = entry.at + this.windowMs;
      if (others > 0 && sharedWindowEnd <= freedAt) {
        others = 0;
        if (usage + need <= limit) return sharedWindowEnd - now;
      }
      usage -= entry.amount;
      if (usage + others + need <= limit) return freedAt - now;
    }
    return others > 0 ? Math.max(0, sharedWindowEnd - now) : this.windowMs;
  }

  private others(now: number): number {
    return Math.floor(now / this.windowMs) === this.sharedWindow ? this.othersInSharedWindow : 0;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head];
      if (entry === undefined || entry.at > cutoff) break;
      entry.expired = true;
      this.total -= entry.amount;
      this.head++;
    }
    // Compact once the dead prefix dominates, keeping pushes and prunes amortised O(1).
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.entries.length) this.total = 0;
  }

  /** Adds usage to the shared counter of the window `at` falls in, and learns others' usage from the sum. */
  private share(at: number, amount: number): void {
    const store = this.store;
    const sharedKey = this.sharedKey;
    if (store === undefined || sharedKey === undefined) return;
    const window = Math.floor(at / this.windowMs);
    if (window < this.sharedWindow) return;
    if (window > this.sharedWindow) {
      this.sharedWindow = window;
      this.ownInSharedWindow = 0;
      this.othersInSharedWindow = 0;
    }
    this.ownInSharedWindow += amount;
    // The store applies increments in order, so the sum it returns includes exactly our own
    // increments up to this one; the rest is other instances' usage.
    const ownSoFar = this.ownInSharedWindow;
    writeInBackground(
      () => store.increment(`${sharedKey}:${window}`, amount, this.windowMs * 2),
      (sum) => {
        if (this.sharedWindow === window) this.othersInSharedWindow = Math.max(0, sum - ownSoFar);
      },
    );
  }
}
