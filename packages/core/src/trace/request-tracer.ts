// The tracing contract: what the request path tells a tracer, and nothing about how spans are
// made or exported. A runtime sets one on the Gateway (`setTracer`); without one every hook is a
// single undefined check, so a gateway that does not trace pays nothing for it.
import type { ChatRequest } from '../spec/chat-request.ts';
import type { EmbeddingRequest } from '../spec/embedding-request.ts';

/** Starts the trace of one HTTP request. */
export interface RequestTracer {
  /** Whether prompts and answers go into the trace (collected only when they do). */
  readonly capturesContent: boolean;
  startRequest(request: TracedRequest): RequestTrace;
}

/** What the transport knows about a request when it arrives. */
export interface TracedRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  /** The route template that matched (`/v1/models/:id`), when one did. */
  route: string | undefined;
  requestId: string;
  /** A request header (`traceparent`, `tracestate`), by its lower-case name. */
  header(name: string): string | null | undefined;
}

/** The trace of one request: its own span, and one child per upstream attempt. */
export interface RequestTrace {
  /** The W3C trace id and the request span's id, for log lines. */
  readonly traceId: string;
  readonly spanId: string;
  readonly capturesContent: boolean;
  /** The route (or public model name) the request resolved to. */
  routed(route: string): void;
  startAttempt(attempt: AttemptStart): AttemptTrace;
  end(end: RequestEnd): void;
}

/** The request, as the operation an attempt performs upstream. */
export type AttemptSubject =
  | { operation: 'chat'; request: ChatRequest }
  | { operation: 'embeddings'; request: EmbeddingRequest }
  /** A prompt's input tokens counted by the vendor (Messages count_tokens, Responses input_tokens). */
  | { operation: 'count_tokens'; request: ChatRequest };

export interface AttemptStart {
  subject: AttemptSubject;
  /** The route the attempt serves. */
  route: string;
  providerId: string;
  /** The provider's configured type (a vendor's definition name). */
  providerType: string;
  /** The vendor model id sent upstream. */
  model: string;
  /** When the attempt began (epoch ms, the gateway's clock). */
  startedAt: number;
}

/** One upstream attempt. Ends once: `failed` or `answered`. */
export interface AttemptTrace {
  /**
   * The W3C trace headers (`traceparent`, and `tracestate` when there is one) naming this attempt,
   * for the upstream call to `url` (its host is the attempt's server address).
   */
  upstreamHeaders(url: string): Record<string, string>;
  failed(error: AttemptError): void;
  answered(answer: AttemptAnswer): void;
}

/** Why an attempt failed: an UpstreamError, or the client going away. */
export interface AttemptError {
  kind: string;
  message: string;
}

/** What an answered attempt returned (a stream's, once it ended). */
export interface AttemptAnswer {
  responseId?: string | undefined;
  responseModel?: string | undefined;
  finishReasons?: string[] | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  /** When the first output token arrived (epoch ms, the gateway's clock); streams only. */
  firstTokenAt?: number | undefined;
  /** The answer's text, one per choice; only when the tracer captures content. */
  outputText?: string[] | undefined;
  /** A stream that broke after its first token and was not continued. */
  error?: AttemptError | undefined;
}

/** How the request ended, as its client saw it. */
export interface RequestEnd {
  status: number;
  /** `hit` or `miss` when the response cache was consulted. */
  cache?: string | undefined;
  /** The error kind or code, when the request (or its stream) ended in an error. */
  errorType?: string | undefined;
}
