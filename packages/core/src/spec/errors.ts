// Error classes of the contract. `UpstreamError` carries the routing decision for a failed
// provider call; `GatewayError` is what the gateway answers, and knows how to render itself
// as an OpenAI error envelope. What each error kind means for routing is in error-policy.ts.
import { policyOf } from './error-policy.ts';
import type { NativeErrorResponse } from './native-dialect.ts';

export type UpstreamErrorKind =
  | 'rate_limited'
  | 'overloaded'
  | 'timeout'
  | 'connection'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'context_length'
  | 'content_filter'
  | 'server'
  | 'protocol'
  | 'model_loading'
  /** This provider lacks a parameter or feature the request uses; another one may have it. */
  | 'unsupported_parameter';

export interface UpstreamErrorOptions {
  kind: UpstreamErrorKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
  retryable?: boolean;
  provider?: string;
  /** The vendor's own error code or type, for logs. */
  code?: string;
  /** The request parameter the vendor blamed, when it said. */
  param?: string;
  /** The vendor's own answer to a natively forwarded body, when a client may be handed it. */
  native?: NativeErrorResponse | undefined;
  cause?: unknown;
}

/**
 * Marks an UpstreamError whichever copy of this module made it: a bundler may load core twice in
 * one process (the dashboard's server bundle beside the runtime's own), and `instanceof` then
 * misses the other copy's errors.
 */
const UPSTREAM_ERROR = Symbol.for('switchyard.upstream-error');

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly [UPSTREAM_ERROR] = true;
  readonly kind: UpstreamErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly provider: string | undefined;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly native: NativeErrorResponse | undefined;

  constructor(options: UpstreamErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? policyOf(options).retrySameTarget;
    this.provider = options.provider;
    this.code = options.code;
    this.param = options.param;
    this.native = options.native;
  }

  /** True when the request, not the provider, is at fault: the client is told a 4xx for it. */
  get isClientFault(): boolean {
    return policyOf(this).clientStatus < 500;
  }

  withProvider(provider: string): UpstreamError {
    if (this.provider === provider) return this;
    return new UpstreamError({ ...this.toOptions(), provider });
  }

  toOptions(): UpstreamErrorOptions {
    return {
      kind: this.kind,
      message: this.message,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
      provider: this.provider,
      code: this.code,
      param: this.param,
      native: this.native,
      cause: this.cause,
    };
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return (
    error instanceof UpstreamError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { [UPSTREAM_ERROR]?: unknown })[UPSTREAM_ERROR] === true)
  );
}

/** What each kind of failure is, in the words a client is given instead of the upstream's. */
const KIND_SUMMARIES: Readonly<Record<UpstreamErrorKind, string>> = {
  rate_limited: 'rate limited',
  overloaded: 'overloaded',
  timeout: 'timed out',
  connection: 'could not be reached',
  auth: 'refused the gateway’s credentials',
  not_found: 'does not have the model',
  bad_request: 'refused the request as invalid',
  context_length: 'found the input longer than the model’s context window',
  content_filter: 'refused the content (content filter)',
  server: 'had a server error',
  protocol: 'answered in an unexpected format',
  model_loading: 'is still loading the model',
  unsupported_parameter: 'does not support a parameter of the request',
};

/**
 * An upstream failure as a client is told it: the provider, the classified kind and the status,
 * e.g. `openai (server, HTTP 500)`. The upstream's own text (which may quote a masked key or an
 * internal detail) stays in the attempt trail, for operators' request logs only.
 */
export function describeFailure(failure: {
  provider?: string | undefined;
  kind?: string | undefined;
  status?: number | undefined;
}): string {
  return `${failure.provider ?? 'upstream'} (${failureFacts(failure.kind ?? 'error', failure.status)})`;
}

/**
 * One upstream failure as a sentence, e.g. `openai had a server error (server, HTTP 500)`; the
 * vendor's error code (an identifier, already the envelope's `code`) is named when it gave one.
 */
export function summarizeFailure(
  failure: Pick<UpstreamError, 'provider' | 'kind' | 'status'> & { code?: string | undefined },
): string {
  const kind = failure.code ? `${failure.kind}, ${failure.code.slice(0, 64)}` : failure.kind;
  return `${failure.provider ?? 'The upstream'} ${KIND_SUMMARIES[failure.kind]} (${failureFacts(kind, failure.status)})`;
}

function failureFacts(kind: string, status: number | undefined): string {
  return status === undefined ? kind : `${kind}, HTTP ${status}`;
}

/** The most characters of a client's own string an error message, label or log line repeats. */
export const MAX_ECHOED_LENGTH = 200;

/**
 * A client-supplied string as an error message may quote it: at most `MAX_ECHOED_LENGTH`
 * characters, so a megabyte of `model` is not sent back (or logged) whole.
 */
export function clientText(value: string): string {
  if (value.length <= MAX_ECHOED_LENGTH) return value;
  return `${value.slice(0, MAX_ECHOED_LENGTH)}… (${value.length} characters)`;
}

export type GatewayErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'service_unavailable'
  | 'timeout_error'
  | 'server_error';

/** One attempt in a request's trail, as reported in errors, headers and logs. */
export interface AttemptRecord {
  provider: string;
  model: string;
  outcome: 'success' | 'error' | 'skipped';
  kind?: UpstreamErrorKind | 'circuit_open' | 'limit' | 'retry_after_too_long';
  status?: number;
  message?: string;
  latencyMs: number;
}

export interface GatewayErrorOptions {
  status: number;
  type: GatewayErrorType;
  code: string;
  message: string;
  param?: string | null;
  retryAfterMs?: number;
  attempts?: AttemptRecord[];
  cause?: unknown;
}

export class GatewayError extends Error {
  override readonly name: string = 'GatewayError';
  readonly status: number;
  readonly type: GatewayErrorType;
  readonly code: string;
  readonly param: string | null;
  readonly retryAfterMs: number | undefined;
  readonly attempts: AttemptRecord[];
  /**
   * The vendor's own answer when the request ended on a native target's 4xx: a dialect that
   * speaks its shape answers with it as it came instead of its own envelope.
   */
  native: NativeErrorResponse | undefined;

  constructor(options: GatewayErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
    this.param = options.param ?? null;
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts ?? [];
  }

  /** Any thrown value as the error the gateway answers with: upstream failures are 502s, the rest 500s. */
  static from(error: unknown): GatewayError {
    if (error instanceof GatewayError) return error;
    if (isUpstreamError(error))
      return new GatewayError({
        status: 502,
        type: 'upstream_error',
        code: error.kind,
        message: summarizeFailure(error),
      });
    return new GatewayError({
      status: 500,
      type: 'server_error',
      code: 'internal_error',
      message: 'Internal error',
    });
  }

  /** The OpenAI error envelope: the only place it is built. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

export class InvalidRequestError extends GatewayError {
  override readonly name = 'InvalidRequestError';
  constructor(message: string, param?: string | null, code = 'invalid_request') {
    super({ status: 400, type: 'invalid_request_error', code, message, param: param ?? null });
  }
}

export class NoHealthyProvidersError extends GatewayError {
  override readonly name = 'NoHealthyProvidersError';
  constructor(detail: string, options: { retryAfterMs?: number; attempts?: AttemptRecord[] } = {}) {
    super({
      status: 503,
      type: 'service_unavailable',
      code: 'no_healthy_providers',
      message: `No healthy providers available: ${detail}`,
      ...options,
    });
  }
}

export class DeadlineExceededError extends GatewayError {
  override readonly name = 'DeadlineExceededError';
  constructor(message: string, attempts: AttemptRecord[] = []) {
    super({ status: 504, type: 'timeout_error', code: 'deadline_exceeded', message, attempts });
  }
}

export class AllProvidersFailedError extends GatewayError {
  override readonly name = 'AllProvidersFailedError';
  /** `retryAfterMs`: when every provider asked to come back later, the soonest of them. */
  constructor(attempts: AttemptRecord[], cause?: unknown, retryAfterMs?: number) {
    const tried = attempts
      .filter((attempt) => attempt.outcome === 'error')
      .map((attempt) => describeFailure(attempt))
      .join('; ');
    super({
      status: 502,
      type: 'upstream_error',
      code: 'upstream_failed',
      message: `No healthy providers available: every provider failed after retries and fallbacks: ${tried}`,
      attempts,
      cause,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

/** A failed provider test (the seed's `testProvider`). */
export class ProviderTestError extends Error {
  override readonly name = 'ProviderTestError';
  constructor(providerId: string, reason: string, cause?: unknown) {
    super(
      `Provider test failed for ${providerId}: ${reason}`,
      cause === undefined ? undefined : { cause },
    );
  }
}
