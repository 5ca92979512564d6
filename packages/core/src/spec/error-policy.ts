// What each kind of upstream failure means for routing: retry, failover, circuit and health
// accounting, and what the client is told. Every consumer reads this one table, so a kind's
// meaning is decided once.
import type { UpstreamErrorKind } from './errors.ts';

/** What the policy is looked up by: an `UpstreamError` or the options it is built from. */
export interface ClassifiedFailure {
  kind: UpstreamErrorKind;
  code?: string | undefined;
}

export interface ErrorPolicy {
  /** Worth another try on the same target after a backoff (an adapter may still say no). */
  retrySameTarget: boolean;
  /**
   * Retry the same target only when no other candidate is left: a hang says the provider is
   * unwell, and waiting for it again costs a whole timeout.
   */
  retryOnlyWhenAlone: boolean;
  /** Another candidate may succeed where this one failed. */
  failOver: boolean;
  /** Charged to the provider's circuit breaker (and cool-down), not to the request. */
  countsAgainstProvider: boolean;
  /** Charged to every circuit of the provider, not only to the model that was asked. */
  providerWide: boolean;
  /** A passive health signal: enough of these in a row mark the provider unhealthy. */
  marksUnhealthy: boolean;
  /** A Retry-After on it means the whole provider is skipped until then. */
  coolsDown: boolean;
  /** May fall back to the route's larger-window route instead of answering the client. */
  contextFallback: boolean;
  /** The status the client sees for it: 4xx when the request itself is at fault. */
  clientStatus: number;
  /** The error code the client sees when it is answered directly; else the vendor's code. */
  clientCode?: string;
}

const PROVIDER_SIDE: ErrorPolicy = {
  retrySameTarget: true,
  retryOnlyWhenAlone: false,
  failOver: true,
  countsAgainstProvider: true,
  providerWide: false,
  marksUnhealthy: true,
  coolsDown: false,
  contextFallback: false,
  clientStatus: 502,
};

const CLIENT_FAULT: ErrorPolicy = {
  retrySameTarget: false,
  retryOnlyWhenAlone: false,
  failOver: false,
  countsAgainstProvider: false,
  providerWide: false,
  marksUnhealthy: false,
  coolsDown: false,
  contextFallback: false,
  clientStatus: 400,
};

export const ERROR_POLICY: Readonly<Record<UpstreamErrorKind, Readonly<ErrorPolicy>>> = {
  // A 429 says "not now", not "unwell": it cools the provider down instead of failing its health.
  rate_limited: { ...PROVIDER_SIDE, marksUnhealthy: false, coolsDown: true },
  overloaded: PROVIDER_SIDE,
  timeout: { ...PROVIDER_SIDE, retryOnlyWhenAlone: true },
  connection: { ...PROVIDER_SIDE, providerWide: true },
  auth: { ...PROVIDER_SIDE, retrySameTarget: false, providerWide: true },
  not_found: { ...PROVIDER_SIDE, retrySameTarget: false },
  server: PROVIDER_SIDE,
  // Malformed bytes and a model still loading are passing states, not a sick provider.
  protocol: { ...PROVIDER_SIDE, marksUnhealthy: false },
  model_loading: { ...PROVIDER_SIDE, marksUnhealthy: false },
  bad_request: CLIENT_FAULT,
  context_length: { ...CLIENT_FAULT, contextFallback: true, clientCode: 'context_length_exceeded' },
  content_filter: { ...CLIENT_FAULT, clientCode: 'content_filter' },
  // This provider lacks a feature the request uses; another one may have it.
  unsupported_parameter: { ...CLIENT_FAULT, failOver: true },
};

/**
 * The code of a failure raised in this process before anything reached the provider (a mapping
 * bug, a stack overflow on odd input): it says nothing about the provider's health.
 */
export const LOCAL_FAILURE_CODE = 'local_failure';

const LOCAL_FAILURE: ErrorPolicy = {
  ...PROVIDER_SIDE,
  retrySameTarget: false,
  countsAgainstProvider: false,
  marksUnhealthy: false,
};

/**
 * The kind whose policy applies. Adapters used to report an unsupported parameter as a
 * `bad_request` with the code `unsupported_parameter`; that shape still means the distinct kind.
 */
export function policyKindOf(failure: ClassifiedFailure): UpstreamErrorKind {
  if (failure.kind === 'bad_request' && failure.code === 'unsupported_parameter')
    return 'unsupported_parameter';
  return failure.kind;
}

/** The policy of a failure, by its kind (see `policyKindOf`). */
export function policyOf(failure: ClassifiedFailure): Readonly<ErrorPolicy> {
  if (failure.code === LOCAL_FAILURE_CODE) return LOCAL_FAILURE;
  return ERROR_POLICY[policyKindOf(failure)];
}
