// Any failure of an attempt as an UpstreamError, so every later step reads one shape.
import { UpstreamError } from '../spec/errors.ts';

/** Bugs and unknown throws count as server errors; a throw after the deadline as a timeout. */
export function toUpstreamError(
  error: unknown,
  provider: string,
  deadline?: number,
  now?: number,
): UpstreamError {
  if (error instanceof UpstreamError)
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
    cause: error,
  });
}
