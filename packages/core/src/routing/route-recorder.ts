// Records a request's attempt trail and emits its events in one place, and builds the error
// the request ends with when no attempt answered.
import { policyKindOf, policyOf } from '../spec/error-policy.ts';
import {
  AllProvidersFailedError,
  DeadlineExceededError,
  GatewayError,
  InvalidRequestError,
  NoHealthyProvidersError,
  summarizeFailure,
  type UpstreamError,
} from '../spec/errors.ts';
import type { GatewayEvents, GatewayMetrics } from '../metrics/index.ts';
import type { GatewayEventMap, TraceIds } from '../metrics/gateway-events.ts';
import type { RequestTrace } from '../trace/request-tracer.ts';
import type { Skip } from './candidates.ts';
import type { NextStep } from './next-step.ts';
import type { RouteTrace } from './route-types.ts';
import type { Target } from './routing-table.ts';

export interface RecorderDependencies {
  events: GatewayEvents;
  metrics?: GatewayMetrics | undefined;
}

export class RouteRecorder {
  /** The soonest a skipped or failed target said it could be tried again. */
  private soonestRetryMs: number | undefined;
  private lastError: UpstreamError | undefined;
  /** Every failed attempt's error, for the final answer. */
  private readonly failures: UpstreamError[] = [];
  /** The last target an attempt was made at, for `fallback` events. */
  private previous: Target | undefined;

  constructor(
    readonly trace: RouteTrace,
    private readonly requestId: string,
    private readonly dependencies: RecorderDependencies,
    /** The request's trace, when it is traced: its events name it. */
    private readonly traced?: RequestTrace,
  ) {}

  skipped(skip: Skip): void {
    this.trace.attempts.push(skip.record);
    this.noteRetryAfter(skip.retryAfterMs);
  }

  /** About to try `target`: a fallback when another target was tried before it. */
  moving(target: Target): void {
    if (!this.previous || this.previous === target) return;
    const event: GatewayEventMap['fallback'] = {
      requestId: this.requestId,
      from: this.previous.provider.id,
      to: target.provider.id,
      reason: this.lastError?.kind ?? 'skipped',
    };
    this.dependencies.events.emit('fallback', this.stamped(event));
  }

  /** An attempt at `target` was admitted and is being made. */
  attempting(target: Target): void {
    this.previous = target;
  }

  succeeded(target: Target, latencyMs: number): void {
    this.trace.attempts.push({
      provider: target.provider.id,
      model: target.model,
      outcome: 'success',
      latencyMs,
    });
    const event: GatewayEventMap['attempt'] = {
      requestId: this.requestId,
      provider: target.provider.id,
      model: target.model,
      attempt: this.trace.attempts.length,
      outcome: 'success',
      latencyMs,
    };
    this.dependencies.events.emit('attempt', this.stamped(event));
  }

  failed(target: Target, failure: UpstreamError, latencyMs: number, step: NextStep): void {
    this.lastError = failure;
    this.failures.push(failure);
    this.trace.attempts.push({
      provider: target.provider.id,
      model: target.model,
      outcome: 'error',
      kind: failure.kind,
      status: failure.status,
      message: failure.message,
      latencyMs,
    });
    const event: GatewayEventMap['attempt'] = {
      requestId: this.requestId,
      provider: target.provider.id,
      model: target.model,
      attempt: this.trace.attempts.length,
      outcome: 'error',
      kind: failure.kind,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      latencyMs,
      ...(step.action === 'retry' ? { retryInMs: step.delayMs } : {}),
    };
    this.dependencies.events.emit('attempt', this.stamped(event));
    if (step.action === 'retry')
      this.dependencies.metrics?.countRetry(target.provider.id, failure.kind);
    if (step.action === 'failover') this.noteRetryAfter(failure.retryAfterMs);
  }

  /** The event with the request's trace ids, when it is traced. */
  private stamped<E extends TraceIds>(event: E): E {
    if (this.traced) {
      event.traceId = this.traced.traceId;
      event.spanId = this.traced.spanId;
    }
    return event;
  }

  /** The client went away: 499, whatever the attempt was doing. */
  clientGone(cause: unknown): GatewayError {
    return new GatewayError({
      status: 499,
      type: 'invalid_request_error',
      code: 'client_closed_request',
      message: 'The client closed the request',
      attempts: this.trace.attempts,
      cause,
    });
  }

  deadlineExceeded(requestTimeout: number): DeadlineExceededError {
    return new DeadlineExceededError(
      `Request deadline of ${requestTimeout} ms exceeded`,
      this.trace.attempts,
    );
  }

  /**
   * The client's own error, answered without fallback: the classified reason and the field the
   * vendor blamed, not the vendor's text (that stays in the attempt trail for the request log).
   */
  clientError(failure: UpstreamError): GatewayError {
    const field =
      failure.param !== undefined ? `; the provider named the field "${failure.param}"` : '';
    const error = new InvalidRequestError(
      `The request was rejected: ${summarizeFailure(failure)}${field}`,
      failure.param ?? null,
      policyOf(failure).clientCode ?? failure.code ?? 'invalid_request',
    );
    error.attempts.push(...this.trace.attempts);
    error.native = failure.native;
    return error;
  }

  /** Every plan was tried: 503 when nothing could be called, 504 past the deadline, else 502. */
  exhausted(deadlinePassed: boolean, requestTimeout: number): GatewayError {
    const { attempts, plan } = this.trace;
    if (!attempts.some((record) => record.outcome === 'error')) {
      const reasons = attempts
        .map((record) => `${record.provider}: ${record.message ?? record.kind ?? 'unavailable'}`)
        .join('; ');
      return new NoHealthyProvidersError(
        reasons || `route "${plan.name}" has no enabled providers`,
        {
          attempts,
          ...(this.soonestRetryMs !== undefined ? { retryAfterMs: this.soonestRetryMs } : {}),
        },
      );
    }
    if (deadlinePassed) return this.deadlineExceeded(requestTimeout);
    const refused = this.commonlyRefusedParameter();
    if (refused !== undefined) return this.unsupportedParameter(refused);
    const failed = new AllProvidersFailedError(attempts, this.lastError, this.stormRetryAfter());
    // The last answer decides: a vendor's own 4xx reaches the client unless a later target failed otherwise.
    failed.native = this.lastError?.native;
    return failed;
  }

  /** The parameter every failed attempt refused as unsupported, when they all refused the same one. */
  private commonlyRefusedParameter(): string | undefined {
    const params = new Set(
      this.failures.map((failure) =>
        policyKindOf(failure) === 'unsupported_parameter' ? failure.param : undefined,
      ),
    );
    const [param] = params;
    return params.size === 1 ? param : undefined;
  }

  /** No candidate can honour it: the request must change, so it is the client's error (400). */
  private unsupportedParameter(param: string): GatewayError {
    const providers = [...new Set(this.failures.map((failure) => failure.provider))].join(', ');
    const error = new InvalidRequestError(
      `No provider for this model supports the parameter "${param}" (tried ${providers})`,
      param,
      'unsupported_parameter',
    );
    error.attempts.push(...this.trace.attempts);
    return error;
  }

  /** When every failed attempt was a 429, the soonest any of them said to come back. */
  private stormRetryAfter(): number | undefined {
    const allRateLimited = this.failures.every((failure) => failure.kind === 'rate_limited');
    return allRateLimited ? this.soonestRetryMs : undefined;
  }

  private noteRetryAfter(ms: number | undefined): void {
    if (ms !== undefined) this.soonestRetryMs = Math.min(this.soonestRetryMs ?? ms, ms);
  }
}
