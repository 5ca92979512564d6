// Request logs leave the request path: rows wait in a bounded buffer and are written in batches
// (by size, or a short delay after the first row of a batch arrives, so a quiet gateway's rows
// show up within a fraction of a second while a busy one still writes few large statements).
// A slow or unavailable database never blocks or fails a request — when the buffer is full, new
// rows are dropped and counted.
import type { Logger } from 'pino';

export interface RequestLogWriterOptions<Row> {
  write(rows: Row[]): Promise<void>;
  /** Rows dropped because the buffer was full. */
  onDrop(count: number): void;
  logger?: Logger;
  /** Flush when this many rows wait (default 200). */
  batchSize?: number;
  /** Longest a row waits before its batch is written (default 200 ms). */
  flushDelayMs?: number;
  /** Wait before writing again after a failed write (default 1000 ms). */
  retryMs?: number;
  /** Most rows held while the database is slow or down (default 10 000). */
  maxBuffered?: number;
}

export class RequestLogWriter<Row> {
  private buffer: Row[] = [];
  private flushing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly retryMs: number;
  private readonly maxBuffered: number;
  private failures = 0;
  private dropped = 0;

  constructor(private readonly options: RequestLogWriterOptions<Row>) {
    this.batchSize = options.batchSize ?? 200;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.flushDelayMs = options.flushDelayMs ?? 200;
    this.retryMs = options.retryMs ?? 1000;
  }

  get pending(): number {
    return this.buffer.length;
  }

  get droppedRows(): number {
    return this.dropped;
  }

  add(row: Row): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped++;
      this.options.onDrop(1);
      return;
    }
    this.buffer.push(row);
    if (this.buffer.length >= this.batchSize && !this.flushing) void this.flush();
    else this.schedule(this.flushDelayMs);
  }

  /** One pending timer at most: rows arriving while it runs join the same batch. */
  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** Writes what is buffered; concurrent calls share one write. Never rejects. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return Promise.resolve();
    const rows = this.buffer.splice(0, this.batchSize * 5);
    this.flushing = this.options
      .write(rows)
      .then(() => {
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        // Put the rows back in front (within the bound) so a short outage loses nothing.
        const room = this.maxBuffered - this.buffer.length;
        const kept = rows.slice(0, Math.max(0, room));
        const lost = rows.length - kept.length;
        this.buffer.unshift(...kept);
        if (lost > 0) {
          this.dropped += lost;
          this.options.onDrop(lost);
        }
        if (this.failures === 1 || this.failures % 30 === 0)
          this.options.logger?.warn(
            { err: error, pending: this.buffer.length },
            'request logs could not be written; retrying',
          );
      })
      .finally(() => {
        this.flushing = undefined;
        // Rows that came in during the write, or rows put back after a failure.
        if (this.buffer.length > 0)
          this.schedule(this.failures > 0 ? this.retryMs : this.flushDelayMs);
      });
    return this.flushing;
  }

  /** Stops the timer and writes what is left (bounded by `timeoutMs`). */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      const before = this.buffer.length;
      await this.flush();
      if (this.buffer.length >= before) break;
    }
  }
}
