// Bounds how many password hashes run at once: scrypt is deliberately expensive, so an
// unbounded burst of sign-ins would starve the thread pool and every other request with it.
export class GateFullError extends Error {
  constructor() {
    super('Too many sign-ins at once');
    this.name = 'GateFullError';
  }
}

export interface ConcurrencyGateOptions {
  /** Work items running at the same time. */
  running: number;
  /** Callers allowed to wait for a slot; beyond that they are refused at once. */
  waiting: number;
}

export class ConcurrencyGate {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly options: ConcurrencyGateOptions) {}

  /** Runs `work` when a slot is free; throws `GateFullError` when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.running) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.waiting) return Promise.reject(new GateFullError());
    // The slot is handed over by release(), so `active` stays counted for the waiter.
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active -= 1;
  }
}
