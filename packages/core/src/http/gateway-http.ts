// The REST contract (OpenAI-compatible), independent of the HTTP server: the OpenAI wire format
// mapped onto the chat entry. The Fetch API handler and the node:http handler both translate to
// and from these shapes.
import { randomUUID } from 'node:crypto';
import { ChatEntry, errorHeaders, type ChatReply } from '../entry/chat-entry.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { Gateway } from '../service/gateway.ts';
import { toOpenAIChatCompletion } from '../spec/chat-response.ts';
import { GatewayError, InvalidRequestError } from '../spec/errors.ts';
import { parseJsonSafe } from '../spec/safe-json.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { OpenAISseEncoder } from './openai-sse.ts';

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

export type GatewayHttpResponse =
  | { kind: 'body'; status: number; headers: Record<string, string>; body: string }
  | {
      kind: 'sse';
      status: number;
      headers: Record<string, string>;
      events: AsyncIterable<StreamEvent>;
      encoder: OpenAISseEncoder;
    };

export interface GatewayHttpOptions {
  gateway: Gateway;
  keys: KeyRing;
  /** Largest request body accepted; defaults to the config's `maxRequestBodyBytes`. */
  maxBodyBytes?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export function bodyTooLarge(limit: number): GatewayError {
  return new GatewayError({
    status: 413,
    type: 'invalid_request_error',
    code: 'request_too_large',
    message: `Request body larger than ${limit} bytes`,
  });
}

/** Any thrown value as an OpenAI error envelope response. */
export function errorResponse(error: unknown, requestId: string): GatewayHttpResponse {
  const gatewayError = GatewayError.from(error);
  return {
    kind: 'body',
    status: gatewayError.status,
    headers: { ...JSON_HEADERS, ...errorHeaders(gatewayError, requestId) },
    body: JSON.stringify(gatewayError.toJSON()),
  };
}

/** Names a key may use as an OpenAI model list (`GET /v1/models`). */
export function toOpenAIModelList(names: readonly string[], created: number): OpenAIModelList {
  return {
    object: 'list',
    data: names.map((id) => ({ id, object: 'model', created, owned_by: 'switchyard' })),
  };
}

export interface OpenAIModelList {
  object: 'list';
  data: Array<{ id: string; object: 'model'; created: number; owned_by: string }>;
}

/** The OpenAI chat wire format onto the entry's reply: a `chat.completion` body or SSE. */
export function toOpenAIChatReply(reply: ChatReply): GatewayHttpResponse {
  if ('response' in reply)
    return {
      kind: 'body',
      status: reply.status,
      headers: { ...JSON_HEADERS, ...reply.headers },
      body: JSON.stringify(toOpenAIChatCompletion(reply.response)),
    };
  const requestId = reply.headers['x-request-id'] ?? '';
  return {
    kind: 'sse',
    status: reply.status,
    headers: { ...SSE_HEADERS, ...reply.headers },
    events: reply.events,
    encoder: new OpenAISseEncoder({
      includeUsage: reply.request.stream_options?.include_usage === true,
      fallbackId: `chatcmpl-${requestId}`,
      fallbackModel: reply.model,
    }),
  };
}

export function createGatewayHttp(
  options: GatewayHttpOptions,
): (request: GatewayHttpRequest) => Promise<GatewayHttpResponse> {
  const { gateway } = options;
  const entry = new ChatEntry(options);

  async function chatCompletions(
    request: GatewayHttpRequest,
    requestId: string,
    startedAt: number,
  ): Promise<GatewayHttpResponse> {
    const key = entry.authenticate(request.header('authorization'));
    const text = await request.readBody(options.maxBodyBytes ?? entry.maxBodyBytes);
    const json = parseJsonSafe(text);
    if (json === undefined)
      throw new InvalidRequestError('The request body is not valid JSON', null, 'invalid_json');
    const admitted = entry.admit(key, json, {
      requestId,
      startedAt,
      signal: request.signal,
      strategy: request.header('x-switchyard-strategy') ?? undefined,
      pinnedProvider: request.header('x-switchyard-provider') ?? undefined,
    });
    return toOpenAIChatReply(await entry.call(admitted));
  }

  function models(request: GatewayHttpRequest, requestId: string): GatewayHttpResponse {
    const key = entry.authenticate(request.header('authorization'));
    const created = Math.floor(gateway.clock.now() / 1000);
    return {
      kind: 'body',
      status: 200,
      headers: { ...JSON_HEADERS, 'x-request-id': requestId },
      body: JSON.stringify(toOpenAIModelList(entry.models(key), created)),
    };
  }

  function providersHealth(requestId: string): GatewayHttpResponse {
    const providers = gateway.providerHealth().map((view) => ({
      providerId: view.providerId,
      name: view.name,
      type: view.type,
      enabled: view.enabled,
      isHealthy: view.isHealthy,
      responseTime: view.responseTime ?? null,
      error: view.error ?? null,
      lastCheckedAt:
        view.lastCheckedAt !== undefined ? new Date(view.lastCheckedAt).toISOString() : null,
      circuitState: view.circuit,
    }));
    return {
      kind: 'body',
      status: 200,
      headers: { ...JSON_HEADERS, 'x-request-id': requestId },
      body: JSON.stringify(providers),
    };
  }

  return async function handle(request: GatewayHttpRequest): Promise<GatewayHttpResponse> {
    const startedAt = gateway.clock.now();
    const requestId = validRequestId(request.header('x-request-id')) ?? randomUUID();
    try {
      const route = `${request.method} ${request.path.replace(/\/+$/, '') || '/'}`;
      switch (route) {
        case 'POST /v1/chat/completions':
          return await chatCompletions(request, requestId, startedAt);
        case 'GET /v1/models':
          return models(request, requestId);
        case 'GET /health':
          return {
            kind: 'body',
            status: 200,
            headers: { ...JSON_HEADERS, 'x-request-id': requestId },
            body: JSON.stringify({ status: 'ok' }),
          };
        case 'GET /health/providers':
          return providersHealth(requestId);
        case 'GET /metrics':
          return {
            kind: 'body',
            status: 200,
            headers: { 'content-type': gateway.metrics.contentType },
            body: await gateway.metrics.render(),
          };
        default: {
          const known = [
            '/v1/chat/completions',
            '/v1/models',
            '/health',
            '/health/providers',
            '/metrics',
          ].includes(request.path.replace(/\/+$/, ''));
          throw new GatewayError(
            known
              ? {
                  status: 405,
                  type: 'invalid_request_error',
                  code: 'method_not_allowed',
                  message: `${request.method} is not allowed on ${request.path}`,
                }
              : {
                  status: 404,
                  type: 'not_found_error',
                  code: 'not_found',
                  message: `Unknown path ${request.path}`,
                },
          );
        }
      }
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

function validRequestId(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  return /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}
