// The errors an adapter throws before anything is sent: a field the vendor cannot honour (the
// router may try another provider) and a request that cannot be translated at all.
import { UpstreamError } from '@switchyard/core';

/** Who refuses: the provider id (named in errors) and the vendor's name in messages. */
export interface VendorLabel {
  provider: string;
  vendor: string;
}

/** A request field this vendor cannot honour; `reason` says which use of it, when not all. */
export function unsupportedParameter(
  source: VendorLabel,
  param: string,
  reason?: string,
): UpstreamError {
  return new UpstreamError({
    kind: 'bad_request',
    status: 400,
    code: 'unsupported_parameter',
    param,
    retryable: false,
    provider: source.provider,
    message: `${source.vendor} does not support ${param}${reason ? ` (${reason})` : ''}`,
  });
}

/** A request that is malformed whatever the provider (e.g. tool arguments that are not JSON). */
export function invalidRequest(provider: string, param: string, message: string): UpstreamError {
  return new UpstreamError({
    kind: 'bad_request',
    status: 400,
    code: 'invalid_request',
    param,
    retryable: false,
    provider,
    message,
  });
}

/** An answer that does not have the shape the vendor documents. */
export function protocolError(provider: string, message: string, status?: number): UpstreamError {
  return new UpstreamError({
    kind: 'protocol',
    message,
    provider,
    ...(status !== undefined ? { status } : {}),
  });
}
