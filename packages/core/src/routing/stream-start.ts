// Starting a stream for the router: each attempt opens the upstream stream and reads it up to its
// first token, within a first-token deadline of its own; the stream may then run until the
// request's deadline, still linked to the client's disconnect.
import type { ChatRequest } from '../spec/chat-request.ts';
import { nativeFor } from '../spec/native-dialect.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { Clock } from '../util/clock.ts';
import { raceDeadline, TIMED_OUT } from '../util/deadline.ts';
import { awaitFirstToken, firstTokenTimeoutError, type StartedStream } from './attempt-stream.ts';
import type { AttemptSettings } from './attempt-settings.ts';
import type { AttemptFunction, RouteOptions } from './route-types.ts';

export class StreamStart {
  /** When the latest attempt began (epoch ms). */
  attemptStartedAt = 0;
  /** The request's deadline (epoch ms): a started stream must end by then too. */
  readonly deadline: number;
  /** Aborts the latest attempt's upstream call. */
  abortUpstream: (reason: unknown) => void = () => undefined;
  private unlinkClient: () => void = () => undefined;

  constructor(
    readonly request: ChatRequest,
    private readonly options: RouteOptions,
    readonly settings: AttemptSettings,
    private readonly clock: Clock,
  ) {
    this.deadline = (options.startedAt ?? clock.now()) + settings.requestTimeout;
  }

  /** Whether the client asked for a usage chunk (`stream_options.include_usage`). */
  get usageRequired(): boolean {
    return this.request.stream_options?.include_usage === true;
  }

  readonly attempt: AttemptFunction<StartedStream> = async (
    adapter,
    target,
    callOptions,
    abort,
  ) => {
    this.attemptStartedAt = this.clock.now();
    this.abortUpstream = abort;
    this.linkClient(abort);
    const firstTokenDeadline = Math.min(
      callOptions.deadline,
      this.attemptStartedAt + (this.settings.firstTokenTimeout ?? this.settings.timeout(target)),
    );
    // The stream itself may run until the request deadline; only its start is bounded per attempt.
    const streamDeadline = this.deadline;
    // The wait for response headers is part of the wait for the first token.
    const opened = adapter.stream({
      request: this.request,
      model: target.model,
      options: { signal: callOptions.signal, deadline: streamDeadline, firstTokenDeadline },
      native: nativeFor(this.options.native, target.provider.id),
    });
    const iterable = await withinFirstTokenDeadline(
      opened,
      firstTokenDeadline - this.clock.now(),
      target.provider.id,
      abort,
    );
    return awaitFirstToken(
      iterable[Symbol.asyncIterator](),
      firstTokenDeadline,
      this.clock,
      abort,
      target.provider.id,
    );
  };

  /** Stops passing the client's disconnect on: the stream is over, or never started. */
  unlink(): void {
    this.unlinkClient();
  }

  /**
   * The client's disconnect must keep reaching this upstream call for the whole stream, not only
   * until the first token (when the attempt's own link ends).
   */
  private linkClient(abort: (reason: unknown) => void): void {
    this.unlinkClient();
    const { signal } = this.options;
    const onClientAbort = () => abort(signal?.reason);
    signal?.addEventListener('abort', onClientAbort, { once: true });
    this.unlinkClient = () => signal?.removeEventListener('abort', onClientAbort);
  }
}

/** The opened stream, or a first-token timeout (aborting the call) once the deadline passes. */
async function withinFirstTokenDeadline(
  opened: Promise<AsyncIterable<StreamEvent>>,
  remainingMs: number,
  provider: string,
  abort: (reason: unknown) => void,
): Promise<AsyncIterable<StreamEvent>> {
  // Built only when the deadline passes: an error (with its stack) per stream is measurable.
  let error: Error | undefined;
  const result = await raceDeadline(opened, Math.max(0, remainingMs), () => {
    error = firstTokenTimeoutError(provider);
    abort(error);
  });
  if (result === TIMED_OUT) throw error ?? firstTokenTimeoutError(provider);
  return result;
}
