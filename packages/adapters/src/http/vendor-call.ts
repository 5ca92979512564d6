// The one request path of every adapter: send, classify a non-2xx answer through the vendor's
// error parser, and either parse the JSON body (`callJson`), check liveness (`probeHttp`) or
// hand the body to the stream reader (`openStream`).
import {
  parseJsonSafe,
  type ProbeResult,
  type StreamEvent,
  type UpstreamError,
} from '@switchyard/core';
import {
  discardBody,
  readText,
  sendRequest,
  type HttpRequest,
  type HttpResponse,
} from './http-client.ts';
import { readStream, type StreamFormat, type StreamFraming } from './stream-reader.ts';

/** A vendor's classification of a non-2xx answer whose body has been read. */
export type ErrorParser = (response: HttpResponse, bodyText: string) => UpstreamError;

/** Error bodies are short; anything longer is not worth reading. */
const ERROR_BODY_LIMIT = 64 * 1024;

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The text of an error answer; unreadable bodies give '' (the status still classifies it). */
export async function readErrorBody(response: HttpResponse, request: HttpRequest): Promise<string> {
  try {
    return await readText(response, request, ERROR_BODY_LIMIT);
  } catch (error) {
    // A caller abort is not the vendor's fault: let it surface as such.
    if (request.signal.aborted) throw request.signal.reason ?? error;
    return '';
  }
}

/** Sends and resolves with a 2xx response; any other answer is read, classified and thrown. */
export async function sendAccepted(
  request: HttpRequest,
  parseError: ErrorParser,
): Promise<HttpResponse> {
  const response = await sendRequest(request);
  if (isSuccess(response.status)) return response;
  throw parseError(response, await readErrorBody(response, request));
}

export interface JsonCall<T> {
  request: HttpRequest;
  parseError: ErrorParser;
  /** Maps the parsed 2xx body (undefined when it is not JSON) or throws a protocol error. */
  parse: (body: unknown, response: HttpResponse) => T;
}

export async function callJson<T>({ request, parseError, parse }: JsonCall<T>): Promise<T> {
  const response = await sendAccepted(request, parseError);
  return parse(parseJsonSafe(await readText(response, request)), response);
}

export interface ProbeCall {
  request: HttpRequest;
  parseError: ErrorParser;
  /** What was checked, e.g. `GET /v1/models`. */
  check: string;
  /** Statuses that prove the service up; 2xx unless the vendor knows better. */
  healthy?: (status: number) => boolean;
}

export async function probeHttp({
  request,
  parseError,
  check,
  healthy = isSuccess,
}: ProbeCall): Promise<ProbeResult> {
  const started = performance.now();
  const response = await sendRequest(request);
  if (!healthy(response.status)) throw parseError(response, await readErrorBody(response, request));
  await discardBody(response);
  return { latencyMs: Math.round(performance.now() - started), check, status: response.status };
}

export interface StreamCall<F extends StreamFraming> extends StreamFormat<F> {
  request: HttpRequest;
  parseError: ErrorParser;
  /** Checks a 2xx answer before its body is read as a stream; throws to refuse it. */
  accept?: (response: HttpResponse) => Promise<void>;
}

/**
 * Resolves once the upstream accepted the stream (2xx headers), so errors before the first
 * event reject and the router can try elsewhere; later failures arrive as `error` events.
 */
export async function openStream<F extends StreamFraming>(
  call: StreamCall<F>,
): Promise<AsyncIterable<StreamEvent>> {
  const response = await sendAccepted(call.request, call.parseError);
  await call.accept?.(response);
  return readStream(response, call.request, call);
}
