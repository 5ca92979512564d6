// Core's tracing contract on the OpenTelemetry API: a SERVER span per request (a child of the
// caller's W3C trace context), a CLIENT span per upstream attempt named and attributed by the
// GenAI semantic conventions, and the attempt's own trace context for the upstream call.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import {
  requestedMaxTokens,
  type AttemptAnswer,
  type AttemptError,
  type AttemptStart,
  type AttemptTrace,
  type RequestEnd,
  type RequestTrace,
  type RequestTracer,
  type TracedRequest,
} from '@switchyard/core';
import { GEN_AI, genAIProviderName, SWITCHYARD } from './genai-names.ts';
import { inputMessages, outputMessages } from './genai-messages.ts';

const propagator = new W3CTraceContextPropagator();

const requestHeaders: TextMapGetter<TracedRequest> = {
  get: (request, name) => request.header(name) ?? undefined,
  keys: () => ['traceparent', 'tracestate'],
};

const headerRecord: TextMapSetter<Record<string, string>> = {
  set: (headers, name, value) => {
    headers[name] = value;
  },
};

export class OtelRequestTracer implements RequestTracer {
  constructor(
    private readonly tracer: Tracer,
    readonly capturesContent: boolean,
  ) {}

  startRequest(request: TracedRequest): RequestTrace {
    const parent = propagator.extract(ROOT_CONTEXT, request, requestHeaders);
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [ATTR_URL_PATH]: request.path,
      [SWITCHYARD.requestId]: request.requestId,
    };
    if (request.route !== undefined) attributes[ATTR_HTTP_ROUTE] = request.route;
    const name =
      request.route === undefined ? request.method : `${request.method} ${request.route}`;
    const span = this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    return new OtelRequestTrace(this.tracer, span, this.capturesContent);
  }
}

class OtelRequestTrace implements RequestTrace {
  /** Attempts started so far: the next one's number. */
  private attempts = 0;
  /** The error kind of the last failed attempt: why the next one happens. */
  lastFailure: string | undefined;
  private ended = false;

  constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    readonly capturesContent: boolean,
  ) {}

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  get spanId(): string {
    return this.span.spanContext().spanId;
  }

  routed(route: string): void {
    this.span.setAttribute(SWITCHYARD.route, route);
  }

  startAttempt(start: AttemptStart): AttemptTrace {
    this.attempts++;
    const { operation } = start.subject;
    const attributes: Attributes = {
      [GEN_AI.operationName]: operation,
      [GEN_AI.providerName]: genAIProviderName(start.providerType),
      [GEN_AI.requestModel]: start.model,
      [SWITCHYARD.route]: start.route,
      [SWITCHYARD.provider]: start.providerId,
      [SWITCHYARD.attempt]: this.attempts,
    };
    if (this.lastFailure !== undefined) attributes[SWITCHYARD.fallbackReason] = this.lastFailure;
    requestAttributes(start, attributes, this.capturesContent);
    const parent = trace.setSpan(ROOT_CONTEXT, this.span);
    const name = `${operation} ${start.model}`;
    const span = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    return new OtelAttemptTrace(span, this, start.startedAt);
  }

  end(end: RequestEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, end.status);
    if (end.cache !== undefined) this.span.setAttribute(SWITCHYARD.cache, end.cache);
    const errorType = end.errorType ?? (end.status >= 500 ? String(end.status) : undefined);
    if (errorType !== undefined) this.span.setAttribute(ATTR_ERROR_TYPE, errorType);
    // A client's own mistake (4xx) is not the server span's error; a 5xx or a broken stream is.
    if (end.status >= 500 || (end.status < 400 && end.errorType !== undefined))
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
  }
}

class OtelAttemptTrace implements AttemptTrace {
  private ended = false;
  private addressed = false;

  constructor(
    private readonly span: Span,
    private readonly request: OtelRequestTrace,
    private readonly startedAt: number,
  ) {}

  upstreamHeaders(url: string): Record<string, string> {
    if (!this.addressed) {
      this.addressed = true;
      this.noteServer(url);
    }
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, this.span), headers, headerRecord);
    return headers;
  }

  failed(error: AttemptError): void {
    if (this.ended) return;
    this.ended = true;
    this.fail(error);
    this.span.end();
  }

  answered(answer: AttemptAnswer): void {
    if (this.ended) return;
    this.ended = true;
    const { span } = this;
    if (answer.responseModel) span.setAttribute(GEN_AI.responseModel, answer.responseModel);
    if (answer.responseId) span.setAttribute(GEN_AI.responseId, answer.responseId);
    if (answer.finishReasons) span.setAttribute(GEN_AI.responseFinishReasons, answer.finishReasons);
    if (answer.inputTokens !== undefined)
      span.setAttribute(GEN_AI.usageInputTokens, answer.inputTokens);
    if (answer.outputTokens !== undefined)
      span.setAttribute(GEN_AI.usageOutputTokens, answer.outputTokens);
    if (answer.firstTokenAt !== undefined)
      span.setAttribute(SWITCHYARD.timeToFirstTokenMs, answer.firstTokenAt - this.startedAt);
    if (answer.outputText)
      span.setAttribute(
        GEN_AI.outputMessages,
        JSON.stringify(outputMessages(answer.outputText, answer.finishReasons)),
      );
    if (answer.error) this.fail(answer.error);
    span.end();
  }

  private fail(error: AttemptError): void {
    this.request.lastFailure = error.kind;
    this.span.setAttribute(ATTR_ERROR_TYPE, error.kind);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }

  private noteServer(url: string): void {
    try {
      const { hostname, port, protocol } = new URL(url);
      this.span.setAttribute(ATTR_SERVER_ADDRESS, hostname.replace(/^\[|\]$/g, ''));
      this.span.setAttribute(
        ATTR_SERVER_PORT,
        port ? Number(port) : protocol === 'https:' ? 443 : 80,
      );
    } catch {
      // not a URL: the call itself fails and says so
    }
  }
}

/** The request's own GenAI attributes (and its messages, when content is captured). */
function requestAttributes(start: AttemptStart, attributes: Attributes, capture: boolean): void {
  const { subject } = start;
  if (subject.operation === 'embeddings') {
    if (subject.request.dimensions !== undefined)
      attributes[GEN_AI.embeddingsDimensionCount] = subject.request.dimensions;
    return;
  }
  const { request } = subject;
  if (subject.operation === 'count_tokens') {
    // Only the prompt: counting generates nothing, so no generation parameters apply.
    if (capture) attributes[GEN_AI.inputMessages] = JSON.stringify(inputMessages(request.messages));
    return;
  }
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) attributes[GEN_AI.requestMaxTokens] = maxTokens;
  if (typeof request.temperature === 'number')
    attributes[GEN_AI.requestTemperature] = request.temperature;
  if (typeof request.top_p === 'number') attributes[GEN_AI.requestTopP] = request.top_p;
  if (typeof request.seed === 'number') attributes[GEN_AI.requestSeed] = request.seed;
  if (typeof request.n === 'number' && request.n !== 1)
    attributes[GEN_AI.requestChoiceCount] = request.n;
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (Array.isArray(stop) && stop.length > 0) attributes[GEN_AI.requestStopSequences] = stop;
  if (capture) attributes[GEN_AI.inputMessages] = JSON.stringify(inputMessages(request.messages));
}
