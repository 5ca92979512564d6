// The client's view of a started stream: the events read before the first token, then the rest
// of the upstream stream, with a failure after the first token turned into a final error event.
import type { StreamEvent } from '../spec/stream-events.ts';
import { closeQuietly } from './attempt-stream.ts';
import type { StreamSummary } from './route-types.ts';
import { toUpstreamError } from './to-upstream-error.ts';

/** A plain iterator rather than a generator: it runs once per streamed event. */
export class RoutedEvents implements AsyncIterator<StreamEvent> {
  private index = 0;
  private ended = false;
  /** An error event was handed out: the stream is over after it. */
  private lastWasError = false;
  private readonly summary: StreamSummary;

  constructor(
    private readonly buffered: StreamEvent[],
    private readonly upstream: AsyncIterator<StreamEvent> | undefined,
    private readonly provider: string,
    firstTokenAt: number | undefined,
    private readonly onEnd: (summary: StreamSummary, completed: boolean) => void,
  ) {
    this.summary = firstTokenAt === undefined ? {} : { firstTokenAt };
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    if (this.ended) return { done: true, value: undefined };
    if (this.lastWasError) return this.end(true);
    const buffered = this.buffered[this.index];
    if (buffered) {
      this.index++;
      return this.hand(buffered);
    }
    if (!this.upstream) return this.end(true);
    let next: IteratorResult<StreamEvent>;
    try {
      next = await this.upstream.next();
    } catch (error) {
      return this.hand({ type: 'error', error: toUpstreamError(error, this.provider) });
    }
    return next.done ? this.end(true) : this.hand(next.value);
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    if (!this.ended) {
      if (this.upstream) await closeQuietly(this.upstream);
      this.end(false);
    }
    return { done: true, value: undefined };
  }

  private hand(event: StreamEvent): IteratorResult<StreamEvent> {
    if (event.type === 'usage') this.summary.usage = event.usage;
    else if (event.type === 'openai-chunk' && event.usage) this.summary.usage = event.usage;
    else if (event.type === 'error') {
      this.summary.error = event.error;
      this.lastWasError = true;
    }
    return { done: false, value: event };
  }

  private end(completed: boolean): IteratorResult<StreamEvent> {
    this.ended = true;
    this.onEnd(this.summary, completed);
    return { done: true, value: undefined };
  }
}
