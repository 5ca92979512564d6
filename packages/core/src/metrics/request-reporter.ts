// Reporting a finished request: one outcome, observed in the metrics and emitted as a `request`
// event (which request logs are written from), with fallbacks counted from the attempt trail.
import type { ChatResponse, Usage } from '../spec/chat-response.ts';
import {
  clientText,
  GatewayError,
  type AttemptRecord,
  type UpstreamError,
} from '../spec/errors.ts';
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
    const outcome: RequestOutcome = {
      ...startFields(start),
      status: 200,
      attempts: 0,
      latencyMs: this.clock.now() - start.startedAt,
      route,
      provider: response.provider,
      model: response.model,
      cache: 'hit',
      ...(start.stream ? { firstTokenMs: 0 } : {}),
      ...usageFields(response.usage),
    };
    this.metrics.observeRequest(outcome);
    this.events.emit('request', bodies ? { ...outcome, ...bodies } : outcome);
    return outcome;
  }

  served(start: RequestStart, served: ServedRequest): RequestOutcome {
    const outcome: RequestOutcome = {
      ...startFields(start),
      status: served.error ? 502 : 200,
      attempts: countAttempts(served.attempts),
      latencyMs: this.clock.now() - start.startedAt,
      route: served.route,
      provider: served.provider,
      model: served.model,
      ...(served.firstTokenAt !== undefined
        ? { firstTokenMs: served.firstTokenAt - start.startedAt }
        : {}),
      ...usageFields(served.usage),
      ...(served.costUsd !== undefined ? { costUsd: served.costUsd } : {}),
      ...(served.cached ? { cache: 'miss' as const } : {}),
      ...(served.error ? { errorKind: served.error.kind, errorMessage: served.error.message } : {}),
    };
    for (const attempt of served.attempts)
      if (attempt.outcome === 'error' && attempt.provider !== served.provider)
        this.metrics.countFallback(attempt.provider, served.provider);
    this.metrics.observeRequest(outcome);
    this.events.emit('request', { ...outcome, ...served.bodies, attemptTrail: served.attempts });
    return outcome;
  }

  /** `route`: the name the request asked for, which may be the client's own (clipped here). */
  failed(error: unknown, start: RequestStart, route: string, bodies?: LoggedBodies): void {
    const attempts = error instanceof GatewayError ? error.attempts : [];
    const tried = attempts.filter((attempt) => attempt.outcome !== 'skipped');
    const last = tried.at(-1);
    const outcome: RequestOutcome = {
      ...startFields(start),
      route: clientText(route),
      status: error instanceof GatewayError ? error.status : 500,
      attempts: tried.length,
      latencyMs: this.clock.now() - start.startedAt,
      errorKind: error instanceof GatewayError ? error.code : 'internal_error',
      errorMessage: error instanceof Error ? error.message : String(error),
      ...(last ? { provider: last.provider, model: last.model } : {}),
    };
    this.metrics.observeRequest(outcome);
    this.events.emit('request', { ...outcome, ...bodies, attemptTrail: attempts });
  }
}

/** Attempts that reached a provider (skipped targets are not attempts). */
export function countAttempts(attempts: readonly AttemptRecord[]): number {
  return attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
}

function startFields(start: RequestStart): RequestStart {
  return {
    requestId: start.requestId,
    startedAt: start.startedAt,
    stream: start.stream,
    dialect: start.dialect,
    ...(start.keyId ? { keyId: start.keyId } : {}),
  };
}

function usageFields(
  usage: Usage | undefined,
): Pick<RequestOutcome, 'inputTokens' | 'outputTokens' | 'usageEstimated'> {
  if (!usage) return {};
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    ...(usage.estimated ? { usageEstimated: true } : {}),
  };
}
