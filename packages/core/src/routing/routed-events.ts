// The client's view of a started stream: the events read before the first token, then the rest
// of the upstream stream, with a failure after the first token continued elsewhere when the router
// can (see stream-continuation.ts), else turned into a final error event.
import { UpstreamError } from '../spec/errors.ts';
import type { Usage } from '../spec/chat-response.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { Clock } from '../util/clock.ts';
import { TIMED_OUT } from '../util/deadline.ts';
import { closeQuietly } from './attempt-stream.ts';
import type { StreamSummary } from './route-types.ts';
import { DeliveredStream, type ContinuationSplice } from './stream-continuation.ts';
import { StreamWatchdog } from './stream-watchdog.ts';
import { toUpstreamError } from './to-upstream-error.ts';

/** What bounds a started stream: the silence between events and the request's deadline. */
export interface StreamLimits {
  idleTimeoutMs: number;
  /** The request's deadline (epoch ms). */
  deadline: number;
  clock: Clock;
  /** Aborts the upstream call, so a stalled stream stops reading. */
  abort: (reason: unknown) => void;
  /** The client asked for usage: a stream is complete only once it came. */
  usageRequired: boolean;
  /** Counts the usage of a stream that ended cleanly without any, from the output it showed. */
  countUsage?: ((outputText: string) => Promise<Usage>) | undefined;
}

/** A stream that continues a broken one: its first events, the rest, and how to splice them. */
export interface ResumedStream {
  buffered: StreamEvent[];
  iterator: AsyncIterator<StreamEvent> | undefined;
  provider: string;
  abort: (reason: unknown) => void;
  splice: ContinuationSplice;
}

/** Continues a stream that broke after its first token; undefined when it cannot be continued. */
export type Resume = (
  failure: UpstreamError,
  delivered: DeliveredStream,
) => Promise<ResumedStream | undefined>;

/** A plain iterator rather than a generator: it runs once per streamed event. */
export class RoutedEvents implements AsyncIterator<StreamEvent> {
  private index = 0;
  private queue: StreamEvent[];
  private upstream: AsyncIterator<StreamEvent> | undefined;
  private provider: string;
  private abortUpstream: (reason: unknown) => void;
  /** What the client was shown: to continue a broken stream, or to count a missing usage. */
  private readonly delivered = new DeliveredStream();
  private usageCounted = false;
  private splice: ContinuationSplice | undefined;
  private ended = false;
  /** An error event was handed out: the stream is over after it. */
  private lastWasError = false;
  /** A finish reason was handed out: the answer itself is complete. */
  private finished = false;
  private readonly summary: StreamSummary;
  private readonly watchdog: StreamWatchdog;

  constructor(
    buffered: StreamEvent[],
    upstream: AsyncIterator<StreamEvent> | undefined,
    provider: string,
    firstTokenAt: number | undefined,
    private readonly onEnd: (summary: StreamSummary, completed: boolean) => void,
    private readonly limits: StreamLimits,
    private readonly resume?: Resume,
  ) {
    this.queue = buffered;
    this.upstream = upstream;
    this.provider = provider;
    this.abortUpstream = limits.abort;
    this.summary = firstTokenAt === undefined ? {} : { firstTokenAt };
    this.watchdog = new StreamWatchdog(limits.idleTimeoutMs, limits.deadline, limits.clock);
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    if (this.ended) return { done: true, value: undefined };
    if (this.lastWasError) return this.end(true);
    const queued = this.queue[this.index];
    if (queued) {
      this.index++;
      if (queued.type === 'error' && this.endedAfterAnswer(queued.error)) return this.endClean();
      return this.hand(queued);
    }
    if (!this.upstream) return await this.endClean();
    let next: IteratorResult<StreamEvent> | typeof TIMED_OUT;
    try {
      next = await this.nextWithinLimits(this.upstream);
    } catch (error) {
      return await this.broke(toUpstreamError(error, this.provider));
    }
    if (next === TIMED_OUT) return await this.broke(this.timedOut());
    if (next.done) return await this.endClean();
    const event = next.value;
    if (event.type === 'error')
      return this.endedAfterAnswer(event.error)
        ? await this.endClean()
        : await this.broke(event.error);
    if (!this.splice) return this.hand(event);
    this.queue = this.splice.transform(event);
    this.index = 0;
    return await this.next();
  }

  /** A failure after the first token: continued on another attempt when possible, else the end. */
  private async broke(error: UpstreamError): Promise<IteratorResult<StreamEvent>> {
    const resumed = await this.resume?.(error, this.delivered);
    if (!resumed) return this.hand({ type: 'error', error });
    this.upstream = resumed.iterator;
    this.provider = resumed.provider;
    this.abortUpstream = resumed.abort;
    this.splice = resumed.splice;
    this.queue = resumed.buffered.flatMap((event) => resumed.splice.transform(event));
    this.index = 0;
    return await this.next();
  }

  /** The upstream's next event, unless the idle timeout or the request deadline comes first. */
  private nextWithinLimits(
    upstream: AsyncIterator<StreamEvent>,
  ): Promise<IteratorResult<StreamEvent> | typeof TIMED_OUT> {
    return this.watchdog.wait(() => upstream.next());
  }

  /** Stops the upstream call and says which limit ended the stream. */
  private timedOut(): UpstreamError {
    const { idleTimeoutMs, deadline, clock } = this.limits;
    const pastDeadline = clock.now() >= deadline;
    const error = new UpstreamError({
      kind: 'timeout',
      message: pastDeadline
        ? 'the request deadline passed while streaming'
        : `no stream event for ${idleTimeoutMs} ms`,
      provider: this.provider,
      code: pastDeadline ? 'deadline_exceeded' : 'stream_idle_timeout',
    });
    this.abortUpstream(error);
    // Not awaited: an upstream that ignores its signal must not hold the client's stream open.
    if (this.upstream) void closeQuietly(this.upstream);
    return error;
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    if (!this.ended) {
      if (this.upstream) await closeQuietly(this.upstream);
      this.end(false);
    }
    return { done: true, value: undefined };
  }

  /**
   * A clean end. When the upstream reported no usage, the usage is counted from what was shown
   * and handed out first (marked estimated), so the client gets the usage it asked for.
   */
  private async endClean(): Promise<IteratorResult<StreamEvent>> {
    this.upstream = undefined;
    const { countUsage } = this.limits;
    if (this.summary.usage !== undefined || !countUsage || this.usageCounted) return this.end(true);
    this.usageCounted = true;
    const usage = await countUsage(this.delivered.outputText()).catch(() => undefined);
    return usage ? this.hand({ type: 'usage', usage }) : this.end(true);
  }

  private hand(event: StreamEvent): IteratorResult<StreamEvent> {
    this.delivered.note(event);
    if (
      event.type === 'finish' ||
      ((event.type === 'openai-chunk' || event.type === 'native') && event.finish)
    )
      this.finished = true;
    if (event.type === 'usage') this.summary.usage = event.usage;
    else if ((event.type === 'openai-chunk' || event.type === 'native') && event.usage)
      this.summary.usage = event.usage;
    else if (event.type === 'error') {
      this.summary.error = event.error;
      this.lastWasError = true;
    }
    return { done: false, value: event };
  }

  /**
   * A body that ends at the HTTP level (reported as a protocol error) after the finish reason,
   * and the usage when asked for, lost nothing but `[DONE]`: the answer is complete.
   */
  private endedAfterAnswer(error: UpstreamError): boolean {
    if (error.kind !== 'protocol' || !this.finished) return false;
    const { usageRequired, countUsage } = this.limits;
    return !usageRequired || this.summary.usage !== undefined || countUsage !== undefined;
  }

  private end(completed: boolean): IteratorResult<StreamEvent> {
    this.ended = true;
    this.watchdog.stop();
    this.onEnd(this.summary, completed);
    return { done: true, value: undefined };
  }
}
