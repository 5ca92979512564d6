// Reporting a finished request: one outcome, observed in the metrics and emitted as a `request`
// event (which request logs are written from), with fallbacks counted from the attempt trail.
import type { ChatResponse, Usage } from '../spec/chat-response.ts';
import {
  clientText,
  GatewayError,
  type AttemptRecord,
  type UpstreamError,
} from '../spec/errors.ts';
import type { RequestTrace } from '../trace/request-tracer.ts';
import type { Clock } from '../util/clock.ts';
import type { ClientDialect, GatewayEvents, RequestOutcome } from './gateway-events.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

/** What is known of a request when it arrives. */
export interface RequestStart {
  requestId: string;
  startedAt: number;
  stream: boolean;
  dialect: ClientDialect;
  keyId?: string;
  /** The request's trace, when it is traced: its outcome names it. */
  trace?: RequestTrace | undefined;
}

/** A request a provider answered (a stream: to its end, or until it was cut). */
export interface ServedRequest {
  route: string;
  provider: string;
  model: string;
  attempts: AttemptRecord[];
  cached: boolean;
  usage: Usage | undefined;
  costUsd: number | undefined;
  /** Epoch ms of the first streamed token. */
  firstTokenAt?: number | undefined;
  /** A stream cut after its first token. */
  error?: UpstreamError | undefined;
  /** With body logging on. */
  bodies?: LoggedBodies | undefined;
}

/** The request and answer bodies as captured for the log. */
export interface LoggedBodies {
  requestBody?: unknown;
  responseBody?: unknown;
}

// Outcomes are built by assignment, not by spreading into literals: on the request path, an object
// spread followed by more members is one of the most expensive things V8 does (a new hidden class
// per object), and every request makes one of these.
export class RequestReporter {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly events: GatewayEvents,
    private readonly clock: Clock,
  ) {}

  cacheHit(
    start: RequestStart,
    route: string,
    response: ChatResponse,
    bodies?: LoggedBodies,
  ): RequestOutcome {
    const outcome = this.outcomeOf(start, 200, 0);
    outcome.route = route;
    outcome.provider = response.provider;
    outcome.model = response.model;
    outcome.cache = 'hit';
    if (start.stream) outcome.firstTokenMs = 0;
    setUsage(outcome, response.usage);
    this.metrics.observeRequest(outcome);
    this.events.emit('request', withLogFields(outcome, bodies, undefined));
    return outcome;
  }

  served(start: RequestStart, served: ServedRequest): RequestOutcome {
    const outcome = this.outcomeOf(start, served.error ? 502 : 200, countAttempts(served.attempts));
    outcome.route = served.route;
    outcome.provider = served.provider;
    outcome.model = served.model;
    if (served.firstTokenAt !== undefined)
      outcome.firstTokenMs = served.firstTokenAt - start.startedAt;
    setUsage(outcome, served.usage);
    if (served.costUsd !== undefined) outcome.costUsd = served.costUsd;
    if (served.cached) outcome.cache = 'miss';
    if (served.error) {
      outcome.errorKind = served.error.kind;
      outcome.errorMessage = served.error.message;
    }
    for (const attempt of served.attempts)
      if (attempt.outcome === 'error' && attempt.provider !== served.provider)
        this.metrics.countFallback(attempt.provider, served.provider);
    this.metrics.observeRequest(outcome);
    this.events.emit('request', withLogFields(outcome, served.bodies, served.attempts));
    return outcome;
  }

  /** `route`: the name the request asked for, which may be the client's own (clipped here). */
  failed(error: unknown, start: RequestStart, route: string, bodies?: LoggedBodies): void {
    const attempts = error instanceof GatewayError ? error.attempts : [];
    const tried = attempts.filter((attempt) => attempt.outcome !== 'skipped');
    const last = tried.at(-1);
    const outcome = this.outcomeOf(
      start,
      error instanceof GatewayError ? error.status : 500,
      tried.length,
    );
    outcome.route = clientText(route);
    outcome.errorKind = error instanceof GatewayError ? error.code : 'internal_error';
    outcome.errorMessage = error instanceof Error ? error.message : String(error);
    if (last) {
      outcome.provider = last.provider;
      outcome.model = last.model;
    }
    this.metrics.observeRequest(outcome);
    this.events.emit('request', withLogFields(outcome, bodies, attempts));
  }

  private outcomeOf(start: RequestStart, status: number, attempts: number): RequestOutcome {
    const outcome: RequestOutcome = {
      requestId: start.requestId,
      startedAt: start.startedAt,
      stream: start.stream,
      dialect: start.dialect,
      status,
      attempts,
      latencyMs: this.clock.now() - start.startedAt,
    };
    if (start.keyId) outcome.keyId = start.keyId;
    if (start.trace) {
      outcome.traceId = start.trace.traceId;
      outcome.spanId = start.trace.spanId;
    }
    return outcome;
  }
}

/** The event for request logs: the outcome with the bodies and the attempt trail, when there are. */
function withLogFields(
  outcome: RequestOutcome,
  bodies: LoggedBodies | undefined,
  attemptTrail: AttemptRecord[] | undefined,
): RequestOutcome {
  if (bodies === undefined && attemptTrail === undefined) return outcome;
  const event = Object.assign({}, outcome);
  if (bodies?.requestBody !== undefined) event.requestBody = bodies.requestBody;
  if (bodies?.responseBody !== undefined) event.responseBody = bodies.responseBody;
  if (attemptTrail !== undefined) event.attemptTrail = attemptTrail;
  return event;
}

/** Attempts that reached a provider (skipped targets are not attempts). */
export function countAttempts(attempts: readonly AttemptRecord[]): number {
  return attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
}

function setUsage(outcome: RequestOutcome, usage: Usage | undefined): void {
  if (!usage) return;
  outcome.inputTokens = usage.inputTokens;
  outcome.outputTokens = usage.outputTokens;
  if (usage.cachedInputTokens !== undefined) outcome.cachedInputTokens = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens !== undefined)
    outcome.cacheWriteTokens = usage.cacheWriteInputTokens;
  if (usage.reasoningTokens !== undefined) outcome.reasoningTokens = usage.reasoningTokens;
  if (usage.estimated) outcome.usageEstimated = true;
}
