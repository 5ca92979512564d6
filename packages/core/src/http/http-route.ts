// The REST surface as a table: each client dialect contributes its routes (method, path template,
// handler, and the error envelope of its wire format); `createGatewayHttp` matches a request
// against the table once and hands the handler what every dialect needs.
import type { ChatEntry } from '../entry/chat-entry.ts';
import type { Gateway } from '../service/gateway.ts';
import { GatewayError, InvalidRequestError } from '../spec/errors.ts';
import { exceedsJsonDepth, parseJsonSafe } from '../spec/safe-json.ts';
import { MAX_JSON_DEPTH } from '../spec/validation.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { RequestTrace } from '../trace/request-tracer.ts';

export interface GatewayHttpRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  header(name: string): string | null | undefined;
  /** Reads the body as text; rejects with a 413 GatewayError past `limit` bytes. */
  readBody(limit: number): Promise<string>;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
}

/**
 * Turns stream events into a dialect's SSE frames one at a time, synchronously. `encode` returns ''
 * for events that produce no frame; once `ended` is true (an error frame went out) nothing more is
 * written, and `finish` gives the closing frames after a clean end.
 */
export interface SseEncoder {
  encode(event: StreamEvent): string;
  readonly ended: boolean;
  finish(): string;
}

export type GatewayHttpResponse =
  | { kind: 'body'; status: number; headers: Record<string, string>; body: string }
  | {
      kind: 'sse';
      status: number;
      headers: Record<string, string>;
      events: AsyncIterable<StreamEvent>;
      encoder: SseEncoder;
    };

/** What a route handler gets besides the request. */
export interface HttpCall {
  requestId: string;
  /** When the request arrived (epoch ms). */
  startedAt: number;
  /** The values of the template's `:name` segments. */
  params: Readonly<Record<string, string>>;
  entry: ChatEntry;
  gateway: Gateway;
  /** Largest request body accepted. */
  maxBodyBytes: number;
  /** The request's trace, when the gateway has a tracer; handed on to the entry. */
  trace: RequestTrace | undefined;
}

export interface HttpRoute {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** `/v1/responses/:id`: a segment starting with `:` matches any one segment. */
  path: string;
  handle(request: GatewayHttpRequest, call: HttpCall): Promise<GatewayHttpResponse>;
  /** The dialect's error envelope; the OpenAI one when absent. */
  error?(error: unknown, requestId: string): GatewayHttpResponse;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** A JSON answer with the request id. */
export function jsonResponse(
  status: number,
  value: unknown,
  requestId: string,
): GatewayHttpResponse {
  return {
    kind: 'body',
    status,
    headers: { 'x-request-id': requestId, ...JSON_HEADERS },
    body: JSON.stringify(value),
  };
}

/**
 * The body as text and as parsed JSON: 415 unless it is declared JSON, 413 past the limit, 400
 * when it is not JSON or nests deeper than `MAX_JSON_DEPTH`. Every dialect reads its body here.
 */
export async function readJsonBody(
  request: GatewayHttpRequest,
  limit: number,
): Promise<{ text: string; json: unknown }> {
  checkJsonContentType(request.header('content-type'));
  const text = await request.readBody(limit);
  const json = parseJsonSafe(text);
  if (json === undefined)
    throw new InvalidRequestError('The request body is not valid JSON', null, 'invalid_json');
  if (exceedsJsonDepth(json, MAX_JSON_DEPTH))
    throw new InvalidRequestError(
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
      null,
      'json_too_deep',
    );
  return { text, json };
}

/** `application/json` or a `+json` type, with optional parameters (`; charset=utf-8`). */
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;

/**
 * Bodies a web page can send cross-site without a preflight (text/plain, forms) are refused, so
 * a page a user visits cannot call the gateway with the user's network position.
 */
function checkJsonContentType(contentType: string | null | undefined): void {
  if (contentType && JSON_CONTENT_TYPE.test(contentType.trim())) return;
  throw new GatewayError({
    status: 415,
    type: 'invalid_request_error',
    code: 'unsupported_media_type',
    message: `The request body must be JSON, sent with "content-type: application/json" (got ${
      contentType ? `"${contentType.slice(0, 100)}"` : 'none'
    })`,
  });
}

/** One route matched against a request path. */
export interface MatchedRoute {
  route: HttpRoute;
  params: Record<string, string>;
}

/**
 * The route for a method and path (trailing slashes ignored). `methodMismatch` is true when a
 * route has the path but not the method (a 405 rather than a 404).
 */
export function matchRoute(
  routes: readonly HttpRoute[],
  method: string,
  path: string,
): { matched?: MatchedRoute; methodMismatch: boolean } {
  const segments = splitPath(path);
  let methodMismatch = false;
  for (const route of routes) {
    const params = matchPath(splitPath(route.path), segments);
    if (!params) continue;
    if (route.method === method) return { matched: { route, params }, methodMismatch: false };
    methodMismatch = true;
  }
  return { methodMismatch };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchPath(
  template: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = safeDecode(segment);
    else if (part !== segment) return undefined;
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
