import { describe, expect, it } from 'vitest';
import { GatewayError, isUpstreamError, UpstreamError } from './errors.ts';
import type * as Errors from './errors.ts';

describe('isUpstreamError', () => {
  it("knows another copy of core's errors (a bundle beside the runtime), which instanceof misses", async () => {
    const secondCopy = './errors.ts?second-copy';
    const other = (await import(/* @vite-ignore */ secondCopy)) as typeof Errors;
    expect(other.UpstreamError).not.toBe(UpstreamError);
    const error = new other.UpstreamError({
      kind: 'rate_limited',
      message: 'slow down',
      status: 429,
    });
    expect(error instanceof UpstreamError).toBe(false);
    expect(isUpstreamError(error)).toBe(true);
    expect(GatewayError.from(error)).toMatchObject({ status: 502, code: 'rate_limited' });
    expect(isUpstreamError(new Error('plain'))).toBe(false);
    expect(isUpstreamError({ kind: 'timeout' })).toBe(false);
  });
});
