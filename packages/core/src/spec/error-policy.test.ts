import { describe, expect, it } from 'vitest';
import { ERROR_POLICY, LOCAL_FAILURE_CODE, policyKindOf, policyOf } from './error-policy.ts';
import { UpstreamError, type UpstreamErrorKind } from './errors.ts';

const kinds = Object.keys(ERROR_POLICY) as UpstreamErrorKind[];
const where = (test: (kind: UpstreamErrorKind) => boolean) => kinds.filter(test).sort();

describe('ERROR_POLICY', () => {
  it('retries only transient kinds on the same target', () => {
    expect(where((kind) => ERROR_POLICY[kind].retrySameTarget)).toEqual(
      [
        'connection',
        'model_loading',
        'overloaded',
        'protocol',
        'rate_limited',
        'server',
        'timeout',
      ].sort(),
    );
  });

  it('answers the request’s own faults without failover, except an unsupported parameter', () => {
    expect(where((kind) => !ERROR_POLICY[kind].failOver)).toEqual(
      ['bad_request', 'content_filter', 'context_length'].sort(),
    );
    expect(ERROR_POLICY.unsupported_parameter).toMatchObject({
      failOver: true,
      countsAgainstProvider: false,
      clientStatus: 400,
    });
  });

  it('charges provider-side kinds to the circuit, and only connection and auth provider-wide', () => {
    expect(where((kind) => !ERROR_POLICY[kind].countsAgainstProvider)).toEqual(
      ['bad_request', 'content_filter', 'context_length', 'unsupported_parameter'].sort(),
    );
    expect(where((kind) => ERROR_POLICY[kind].providerWide)).toEqual(['auth', 'connection']);
  });

  it('marks a provider unhealthy on provider-side failures but not on a 429', () => {
    expect(where((kind) => ERROR_POLICY[kind].marksUnhealthy)).toEqual(
      ['auth', 'connection', 'not_found', 'overloaded', 'server', 'timeout'].sort(),
    );
    expect(where((kind) => ERROR_POLICY[kind].coolsDown)).toEqual(['rate_limited']);
  });

  it('tells the client 400 for its own faults and 502 for the provider’s', () => {
    expect(where((kind) => ERROR_POLICY[kind].clientStatus === 400)).toEqual(
      ['bad_request', 'content_filter', 'context_length', 'unsupported_parameter'].sort(),
    );
    expect(where((kind) => ERROR_POLICY[kind].clientStatus === 502)).toHaveLength(9);
    expect(ERROR_POLICY.context_length).toMatchObject({
      contextFallback: true,
      clientCode: 'context_length_exceeded',
    });
  });
});

describe('policyOf', () => {
  it('reads a bad_request coded unsupported_parameter as the unsupported_parameter kind', () => {
    const error = new UpstreamError({
      kind: 'bad_request',
      code: 'unsupported_parameter',
      message: 'n is not supported',
    });
    expect(policyKindOf(error)).toBe('unsupported_parameter');
    expect(policyOf(error).failOver).toBe(true);
    expect(policyKindOf({ kind: 'bad_request', code: 'invalid_value' })).toBe('bad_request');
  });
});

describe('UpstreamError reads the table', () => {
  it('is retryable by its kind unless the adapter says otherwise', () => {
    expect(new UpstreamError({ kind: 'server', message: 'x' }).retryable).toBe(true);
    expect(new UpstreamError({ kind: 'auth', message: 'x' }).retryable).toBe(false);
    expect(
      new UpstreamError({ kind: 'rate_limited', message: 'x', retryable: false }).retryable,
    ).toBe(false);
  });

  it('is a client fault for the kinds the client is told 400 about', () => {
    expect(new UpstreamError({ kind: 'context_length', message: 'x' }).isClientFault).toBe(true);
    expect(
      new UpstreamError({ kind: 'bad_request', code: 'unsupported_parameter', message: 'x' })
        .isClientFault,
    ).toBe(true);
    expect(new UpstreamError({ kind: 'timeout', message: 'x' }).isClientFault).toBe(false);
  });

  it('retries a timeout on the same target only when it is the last candidate', () => {
    expect(where((kind) => ERROR_POLICY[kind].retryOnlyWhenAlone)).toEqual(['timeout']);
  });

  it('fails over on a local failure without charging the provider', () => {
    const local = new UpstreamError({ kind: 'server', message: 'bug', code: LOCAL_FAILURE_CODE });
    expect(policyOf(local)).toMatchObject({
      failOver: true,
      countsAgainstProvider: false,
      marksUnhealthy: false,
    });
    expect(local.retryable).toBe(false);
  });
});
