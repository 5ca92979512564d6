import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../config/config-schema.ts';
import { UpstreamError, type UpstreamErrorOptions } from '../spec/errors.ts';
import { nextStep, type NextStepContext } from './next-step.ts';

const longRoute: RouteConfig = { name: 'long', targets: [], fallbacks: [] };

function context(overrides: Partial<NextStepContext> = {}): NextStepContext {
  return {
    retry: 0,
    retryAttempts: 2,
    retryDelay: 100,
    now: 1_000,
    deadline: 10_000,
    random: () => 0.5,
    contextFallback: undefined,
    alternativesLeft: false,
    ...overrides,
  };
}

const failure = (options: Omit<UpstreamErrorOptions, 'message'>) =>
  new UpstreamError({ message: 'failed', ...options });

describe('nextStep', () => {
  it('retries a transient failure with full-jitter backoff', () => {
    expect(nextStep(failure({ kind: 'server' }), context({ retry: 1 }))).toEqual({
      action: 'retry',
      delayMs: 100, // 0.5 × 100 × 2¹
    });
  });

  it('waits exactly the Retry-After the upstream gave', () => {
    expect(nextStep(failure({ kind: 'rate_limited', retryAfterMs: 1500 }), context())).toEqual({
      action: 'retry',
      delayMs: 1500,
    });
  });

  it('fails over when the retries are used up, or waiting would pass the deadline', () => {
    expect(nextStep(failure({ kind: 'server' }), context({ retry: 2 }))).toEqual({
      action: 'failover',
    });
    const late = failure({ kind: 'rate_limited', retryAfterMs: 60_000 });
    expect(nextStep(late, context())).toEqual({ action: 'failover' });
  });

  it('fails over without retrying on kinds that a retry would not fix', () => {
    expect(nextStep(failure({ kind: 'auth', status: 401 }), context())).toEqual({
      action: 'failover',
    });
    const spent = failure({ kind: 'rate_limited', retryable: false });
    expect(nextStep(spent, context())).toEqual({ action: 'failover' });
  });

  it('answers the client for its own faults', () => {
    for (const kind of ['bad_request', 'content_filter', 'context_length'] as const)
      expect(nextStep(failure({ kind, status: 400 }), context())).toEqual({ action: 'answer' });
  });

  it('fails over on an unsupported parameter, in either shape', () => {
    const legacy = failure({ kind: 'bad_request', code: 'unsupported_parameter', param: 'n' });
    expect(nextStep(legacy, context())).toEqual({ action: 'failover' });
    expect(nextStep(failure({ kind: 'unsupported_parameter' }), context())).toEqual({
      action: 'failover',
    });
  });

  it('falls back to the larger-window route on a context-length error only', () => {
    const withRoute = context({ contextFallback: longRoute });
    expect(nextStep(failure({ kind: 'context_length' }), withRoute)).toEqual({
      action: 'context-fallback',
      route: longRoute,
    });
    expect(nextStep(failure({ kind: 'bad_request' }), withRoute)).toEqual({ action: 'answer' });
  });

  it('fails over at once after a timeout while another candidate is left', () => {
    const timeout = failure({ kind: 'timeout' });
    expect(nextStep(timeout, context({ alternativesLeft: true }))).toEqual({ action: 'failover' });
    expect(nextStep(timeout, context({ alternativesLeft: false }))).toMatchObject({
      action: 'retry',
    });
  });
});
