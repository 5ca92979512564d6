// The router's side of mid-stream continuation: when a started stream breaks, the break counts
// against the target that served it, and the answer so far goes as an assistant prefill through
// the route's plans again — only to targets that accept a prefill — within the request's deadline.
// When none answers, the stream ends with the original error, never the continuation's.
import type { ChatRequest } from '../spec/chat-request.ts';
import type { UpstreamError } from '../spec/errors.ts';
import type { StartedStream } from './attempt-stream.ts';
import { skipOf, type TargetScreen } from './candidates.ts';
import type { AttemptTrace } from '../trace/request-tracer.ts';
import type { RouteTrace } from './route-types.ts';
import type { Resume, ResumedStream } from './routed-events.ts';
import type { Target } from './routing-table.ts';
import { ContinuationSplice, type DeliveredStream } from './stream-continuation.ts';
import type { StreamStart } from './stream-start.ts';

/** How many times one stream may be continued. */
const MAX_CONTINUATIONS = 2;

export interface ResumeParts {
  request: ChatRequest;
  trace: RouteTrace;
  acceptsPrefill: (target: Target) => boolean;
  /** A new stream start for a continuation request. */
  newStart: (request: ChatRequest) => StreamStart;
  /** Runs a stream start through the route's plans, passing over the targets `screen` refuses. */
  run: (
    request: ChatRequest,
    start: StreamStart,
    screen: TargetScreen,
  ) => Promise<{ value: StartedStream; target: Target; attempt: AttemptTrace | undefined }>;
  /** Records the end of the stream a target served (a break counts against it). */
  ended: (target: Target, error: UpstreamError | undefined, attemptStartedAt: number) => void;
}

/** The target serving the client's stream now, and its start. */
export interface Serving {
  target: Target;
  start: StreamStart;
  /** Its attempt's span, when the request is traced. */
  attempt: AttemptTrace | undefined;
}

export class StreamResumer {
  private continuations = 0;

  constructor(
    private readonly parts: ResumeParts,
    public serving: Serving,
  ) {}

  readonly resume: Resume = async (failure, delivered) => {
    if (this.continuations >= MAX_CONTINUATIONS) return undefined;
    const prefill = delivered.prefill(this.parts.request);
    if (!prefill) return undefined;
    this.continuations++;
    const broken = this.serving;
    this.parts.trace.attempts.push({
      provider: broken.target.provider.id,
      model: broken.target.model,
      outcome: 'error',
      kind: failure.kind,
      message: `stream broke after the first token: ${failure.message}`,
      latencyMs: 0,
    });
    const start = this.parts.newStart(prefill.request);
    const started = await this.parts.run(prefill.request, start, this.screen).catch(() => {
      start.unlink();
      return undefined;
    });
    // Without a continuation the stream's own end records the break; with one, it is recorded here.
    if (!started) return undefined;
    this.parts.ended(broken.target, failure, broken.start.attemptStartedAt);
    broken.start.unlink();
    broken.attempt?.failed(failure);
    this.serving = { target: started.target, start, attempt: started.attempt };
    return this.resumed(started, start, delivered, prefill.strippedSuffix);
  };

  /** A continuation goes only to targets that accept an assistant prefill. */
  private readonly screen: TargetScreen = {
    screen: (target) =>
      this.parts.acceptsPrefill(target)
        ? undefined
        : skipOf(target, 'unsupported_parameter', 'does not continue from an assistant prefill'),
    accepts: (target) => this.parts.acceptsPrefill(target),
  };

  private resumed(
    started: { value: StartedStream; target: Target },
    start: StreamStart,
    delivered: DeliveredStream,
    strippedSuffix: string,
  ): ResumedStream {
    const { value, target } = started;
    return {
      buffered: value.buffered,
      iterator: value.ended ? undefined : value.iterator,
      provider: target.provider.id,
      abort: start.abortUpstream,
      splice: new ContinuationSplice(delivered.identity(), strippedSuffix, delivered.usage),
    };
  }
}
