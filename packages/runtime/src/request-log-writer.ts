// Request logs leave the request path: rows wait in a bounded buffer and are written in batches
// (by size or interval). A slow or unavailable database never blocks or fails a request — when
// the buffer is full, new rows are dropped and counted.
import type { Logger } from 'pino';

export interface RequestLogWriterOptions<Row> {
  write(rows: Row[]): Promise<void>;
  /** Rows dropped because the buffer was full. */
  onDrop(count: number): void;
  logger?: Logger;
  /** Flush when this many rows wait (default 200). */
  batchSize?: number;
  /** Flush at least this often (default 1000 ms). */
  intervalMs?: number;
  /** Most rows held while the database is slow or down (default 10 000). */
  maxBuffered?: number;
}

export class RequestLogWriter<Row> {
  private buffer: Row[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private failures = 0;
  private dropped = 0;

  constructor(private readonly options: RequestLogWriterOptions<Row>) {
    this.batchSize = options.batchSize ?? 200;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 1000);
    this.timer.unref();
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
      });
    return this.flushing;
  }

  /** Stops the timer and writes what is left (bounded by `timeoutMs`). */
  async close(timeoutMs = 5000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      const before = this.buffer.length;
      await this.flush();
      if (this.buffer.length >= before) break;
    }
  }
}
