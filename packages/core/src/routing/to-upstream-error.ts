// Any failure of an attempt as an UpstreamError, so every later step reads one shape.
import { LOCAL_FAILURE_CODE } from '../spec/error-policy.ts';
import { isUpstreamError, UpstreamError } from '../spec/errors.ts';

/**
 * Bugs and unknown throws are server errors raised here, not by the provider (adapters report
 * what the provider did as UpstreamErrors), so they are never charged to it; a throw after the
 * deadline is a timeout.
 */
export function toUpstreamError(
  error: unknown,
  provider: string,
  deadline?: number,
  now?: number,
): UpstreamError {
  if (isUpstreamError(error))
    return error.provider === provider ? error : error.withProvider(provider);
  if (deadline !== undefined && now !== undefined && now >= deadline) {
    return new UpstreamError({
      kind: 'timeout',
      message: 'the attempt deadline passed',
      provider,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError({
    kind: 'server',
    message: `unexpected failure: ${message}`,
    provider,
    code: LOCAL_FAILURE_CODE,
    cause: error,
  });
}
