// Errors in Anthropic's envelope (`{type:"error", error:{type, message}}`) with Anthropic's status
// codes: 529 when every provider tried was overloaded or none was healthy, and the error types
// the Anthropic SDKs map to their typed errors. A Messages vendor's own 4xx to a forwarded body
// is answered as the vendor wrote it.
import { errorHeaders } from '../../entry/chat-entry.ts';
import { GatewayError, type UpstreamErrorKind } from '../../spec/errors.ts';
import { JSON_HEADERS, type GatewayHttpResponse } from '../../http/http-route.ts';

export type MessagesErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error';

export interface MessagesError {
  status: number;
  type: MessagesErrorType;
  message: string;
}

export function toMessagesError(error: GatewayError): MessagesError {
  const { message } = error;
  if (error.status === 503 || allAttemptsWere(error, 'overloaded'))
    return { status: 529, type: 'overloaded_error', message };
  if (allAttemptsWere(error, 'rate_limited'))
    return { status: 429, type: 'rate_limit_error', message };
  return { status: error.status, type: typeForStatus(error.status), message };
}

function allAttemptsWere(error: GatewayError, kind: UpstreamErrorKind): boolean {
  const failed = error.attempts.filter((attempt) => attempt.outcome === 'error');
  return failed.length > 0 && failed.every((attempt) => attempt.kind === kind);
}

function typeForStatus(status: number): MessagesErrorType {
  switch (status) {
    case 400:
    case 405:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    default:
      return 'api_error';
  }
}

export function messagesErrorBody(error: MessagesError): string {
  return JSON.stringify({ type: 'error', error: { type: error.type, message: error.message } });
}

/** Any thrown value as an Anthropic error response. */
export function messagesErrorResponse(error: unknown, requestId: string): GatewayHttpResponse {
  const gatewayError = GatewayError.from(error);
  const headers = { ...errorHeaders(gatewayError, requestId), 'request-id': requestId };
  // A Messages vendor's own 4xx is already in this envelope: it goes out as the vendor wrote it.
  const native = gatewayError.native;
  if (native?.dialect === 'messages')
    return {
      kind: 'body',
      status: native.status,
      headers: { ...JSON_HEADERS, ...headers },
      body: native.body,
    };
  const mapped = toMessagesError(gatewayError);
  return {
    kind: 'body',
    status: mapped.status,
    headers: {
      ...JSON_HEADERS,
      ...errorHeaders(gatewayError, requestId),
      'request-id': requestId,
    },
    body: messagesErrorBody(mapped),
  };
}
