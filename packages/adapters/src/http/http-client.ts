// The one HTTP path every adapter uses: undici keep-alive pools per origin (one Agent), timeouts
// derived from the attempt deadline, the caller's AbortSignal all the way down, and network
// failures turned into UpstreamErrors the router can act on.
import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { UpstreamError, upstreamTraceHeaders } from '@switchyard/core';

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'HEAD' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
  /** Absolute time (epoch ms) by which the response must be complete. */
  deadline: number;
  /** Provider id, named in errors. */
  provider: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** Largest non-streamed response body accepted (a vendor answer is far smaller). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

let sharedAgent: Agent | undefined;

/** The process-wide keep-alive agent; it keeps one connection pool per upstream origin. */
export function httpAgent(): Agent {
  sharedAgent ??= new Agent({
    connections: 256,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { timeout: 10_000, lookup: guardedLookup },
    pipelining: 1,
  });
  return sharedAgent;
}

/** Replaces the shared agent (tests, shutdown). */
export async function closeHttpAgent(): Promise<void> {
  const agent = sharedAgent;
  sharedAgent = undefined;
  await agent?.close();
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps a failure of the HTTP layer to an UpstreamError. A caller abort is returned as its own
 * reason (the client went away: not the provider's fault); a passed deadline is a timeout.
 */
export function toNetworkError(
  error: unknown,
  request: Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>,
): unknown {
  if (error instanceof UpstreamError) return error;
  if (request.signal.aborted) return request.signal.reason ?? error;
  const code = errorCode(error);
  const origin = safeOrigin(request.url);
  if (
    (code && TIMEOUT_CODES.has(code)) ||
    Date.now() >= request.deadline ||
    (error as Error)?.name === 'TimeoutError'
  ) {
    return new UpstreamError({
      kind: 'timeout',
      message: `${origin} did not answer in time`,
      provider: request.provider,
      code,
      cause: error,
    });
  }
  if (code && CONNECTION_CODES.has(code)) {
    const reason =
      code === 'ECONNREFUSED'
        ? 'connection refused (is the server running?)'
        : `connection failed (${code})`;
    return new UpstreamError({
      kind: 'connection',
      message: `${origin}: ${reason}`,
      provider: request.provider,
      code,
      cause: error,
    });
  }
  return new UpstreamError({
    kind: 'connection',
    message: `${origin}: ${(error as Error)?.message ?? String(error)}`,
    provider: request.provider,
    code,
    cause: error,
  });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * Sends a request and resolves once status and headers arrived. The body is left unread for the
 * caller (stream it, or use `readText` / `readJson`). Any status is returned; mapping statuses
 * to errors is the adapter's job, since vendors differ.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  refuseDeniedLiteral(request);
  const remaining = request.deadline - Date.now();
  if (remaining <= 0) {
    throw new UpstreamError({
      kind: 'timeout',
      message: 'deadline passed before the request was sent',
      provider: request.provider,
    });
  }
  // The caller's signal goes to undici as is; the deadline is enforced by undici's own header
  // and body timers (no extra controller or timer per call on the hot path).
  const signal = request.signal;
  // A traced attempt's call names the attempt's span as its parent (W3C trace context).
  const traced = upstreamTraceHeaders(signal, request.url);
  try {
    const response = await undiciRequest(request.url, {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers: traced ? Object.assign({}, request.headers, traced) : request.headers,
      body: request.body,
      signal,
      dispatcher: httpAgent(),
      headersTimeout: remaining,
      bodyTimeout: remaining,
    });
    // A body destroyed before it is read emits 'error'; without a listener that would crash the
    // process. Readers still see the error through their own iteration.
    response.body.on('error', () => undefined);
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw toNetworkError(error, request);
  }
}

/** Reads the whole body as text, refusing bodies over `limit` bytes. */
export async function readText(
  response: HttpResponse,
  request: Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>,
  limit = MAX_RESPONSE_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        response.body.destroy();
        throw new UpstreamError({
          kind: 'protocol',
          message: `response larger than ${limit} bytes`,
          provider: request.provider,
          retryable: false,
        });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    throw toNetworkError(error, request);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Discards a body so the connection returns to the pool. */
export async function discardBody(response: HttpResponse): Promise<void> {
  try {
    await response.body.dump();
  } catch {
    // the connection is closed instead; nothing to report
  }
}

/** Closes the upstream connection of a body nobody will read to its end. */
export function abandonBody(response: HttpResponse): void {
  // undici reports destroying an unfinished body as an 'error' event (sendRequest listens for it)
  response.body.on('error', () => undefined);
  response.body.destroy();
}

/** A header's first value. */
export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

// Egress deny-list: addresses no provider call may reach, whatever endpoint an admin enters.
// Link-local addresses and the cloud metadata services are denied by default (they hand out
// the server's own cloud credentials). Names are checked after DNS resolution, in the agent's
// lookup; IP literals before the request is sent.

/** Denied unless configured otherwise: link-local (v4, v6) and cloud metadata addresses. */
export const DEFAULT_EGRESS_DENY_LIST: readonly string[] = [
  '169.254.0.0/16',
  'fe80::/10',
  'fd00:ec2::254',
  '100.100.100.200',
];

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.trim().split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`egress deny-list: "${entry}" is not an address or range`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

let egressDenied = blockListOf(DEFAULT_EGRESS_DENY_LIST);

/**
 * The literal-address verdict per URL authority (`scheme://host:port`): a gateway calls a handful
 * of endpoints, and parsing the URL and checking the list (which allocates a SocketAddress) for
 * every request cost more than the rest of the send. Bounded; cleared with the list.
 */
const literalVerdicts = new Map<string, boolean>();
const MAX_LITERAL_VERDICTS = 512;

/** Replaces the deny-list (addresses and `a.b.c.d/n` or IPv6 ranges); `[]` allows everything. */
export function setEgressDenyList(entries: readonly string[]): void {
  egressDenied = blockListOf(entries);
  literalVerdicts.clear();
}

/** Whether provider calls may not reach this IP address. */
export function isEgressDenied(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && egressDenied.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether the URL's host is an IP literal on the deny-list (names are checked after DNS). */
function deniesLiteral(url: string): boolean {
  const authority = authorityOf(url);
  const known = literalVerdicts.get(authority);
  if (known !== undefined) return known;
  let denied = false;
  try {
    denied = isEgressDenied(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    // not a URL: the request itself fails with a clearer error
  }
  if (literalVerdicts.size >= MAX_LITERAL_VERDICTS) literalVerdicts.clear();
  literalVerdicts.set(authority, denied);
  return denied;
}

/** `scheme://userinfo@host:port` of a URL: everything before the path, query or fragment. */
function authorityOf(url: string): string {
  const start = url.indexOf('//');
  if (start === -1) return url;
  for (let index = start + 2; index < url.length; index++) {
    const char = url.charCodeAt(index);
    // '/', '?', '#', and a backslash (which the URL parser also takes as a path separator)
    if (char === 47 || char === 63 || char === 35 || char === 92) return url.slice(0, index);
  }
  return url;
}

function egressError(host: string, address: string): Error {
  return Object.assign(
    new Error(`${host} resolves to ${address}, which is on the egress deny-list`),
    { code: 'EEGRESSDENIED' },
  );
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const denied = addresses.find((entry) => isEgressDenied(entry.address));
    if (denied) return callback(egressError(hostname, denied.address), '', 0);
    if (options.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    const [first] = addresses;
    callback(null, first?.address ?? '', first?.family ?? 0);
  });
};

function refuseDeniedLiteral(request: Pick<HttpRequest, 'url' | 'provider'>): void {
  if (!deniesLiteral(request.url)) return;
  throw new UpstreamError({
    kind: 'connection',
    message: `${safeOrigin(request.url)}: the address is on the egress deny-list`,
    provider: request.provider,
    retryable: false,
  });
}
