// The REST contract (OpenAI-compatible), independent of the HTTP server: the OpenAI wire format
// mapped onto the chat entry. The Fetch API handler and the node:http handler both translate to
// and from these shapes.
import { randomUUID } from 'node:crypto';
import { ChatEntry, errorHeaders, type ChatReply } from '../entry/chat-entry.ts';
import { hashApiKey, sameDigest } from '../keys/api-key.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { Gateway } from '../service/gateway.ts';
import { toOpenAIChatCompletion } from '../spec/chat-response.ts';
import { clientText, GatewayError } from '../spec/errors.ts';
import {
  messagesAware,
  messagesModel,
  messagesModelList,
} from '../dialects/messages/messages-models.ts';
import { DIALECT_ROUTES } from './dialect-routes.ts';
import {
  JSON_HEADERS,
  jsonResponse,
  matchRoute,
  readJsonBody,
  SSE_HEADERS,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
  type HttpRoute,
} from './http-route.ts';
import { OpenAISseEncoder } from './openai-sse.ts';
import { retrieveModel } from './model-retrieve.ts';
import { endTraceWith } from '../trace/traced-response.ts';

export type { GatewayHttpRequest, GatewayHttpResponse } from './http-route.ts';

export interface GatewayHttpOptions {
  gateway: Gateway;
  keys: KeyRing;
  /** Largest request body accepted; defaults to the config's `maxRequestBodyBytes`. */
  maxBodyBytes?: number;
  /** The client dialects' routes; the built-in ones (`DIALECT_ROUTES`) when absent. */
  dialects?: readonly HttpRoute[];
}

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
    headers: Object.assign({}, JSON_HEADERS, errorHeaders(gatewayError, requestId)),
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
      headers: Object.assign({}, JSON_HEADERS, reply.headers),
      body: JSON.stringify(toOpenAIChatCompletion(reply.response)),
    };
  const requestId = reply.headers['x-request-id'] ?? '';
  return {
    kind: 'sse',
    status: reply.status,
    headers: Object.assign({}, SSE_HEADERS, reply.headers),
    events: reply.events,
    encoder: new OpenAISseEncoder({
      includeUsage: reply.request.stream_options?.include_usage === true,
      fallbackId: `chatcmpl-${requestId}`,
      fallbackModel: reply.model,
    }),
  };
}

/** Chat Completions, the model list, health and metrics: the routes every gateway has. */
export const CORE_ROUTES: readonly HttpRoute[] = [
  { method: 'POST', path: '/v1/chat/completions', handle: chatCompletions },
  { method: 'GET', path: '/v1/models', handle: messagesAware(models, messagesModelList) },
  { method: 'GET', path: '/v1/models/:id', handle: messagesAware(retrieveModel, messagesModel) },
  {
    method: 'GET',
    path: '/health',
    handle: (_request, call) =>
      Promise.resolve(jsonResponse(200, { status: 'ok' }, call.requestId)),
  },
  { method: 'GET', path: '/health/providers', handle: monitoringOnly(providersHealth) },
  {
    method: 'GET',
    path: '/metrics',
    handle: monitoringOnly(async (_request, { gateway }) => ({
      kind: 'body',
      status: 200,
      headers: { 'content-type': gateway.metrics.contentType },
      body: await gateway.metrics.render(),
    })),
  },
];

/**
 * Monitoring endpoints name providers, their errors and traffic: they need an API key or the
 * config's `monitoring.token`, unless the operator made them public (`monitoring.public`).
 */
function monitoringOnly(handle: HttpRoute['handle']): HttpRoute['handle'] {
  return (request, call) => {
    const { monitoring } = call.gateway.currentConfig;
    const authorization = request.header('authorization');
    if (!monitoring.public && !isMonitoringToken(authorization, monitoring.token))
      call.entry.authenticate(authorization);
    return handle(request, call);
  };
}

function isMonitoringToken(authorization: string | null | undefined, token: string | undefined) {
  if (token === undefined || !authorization) return false;
  const presented = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() ?? '';
  return sameDigest(hashApiKey(presented), hashApiKey(token));
}

async function chatCompletions(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const { entry } = call;
  const key = entry.authenticate(request.header('authorization'));
  const { json } = await readJsonBody(request, call.maxBodyBytes);
  const admitted = entry.admit(key, json, {
    requestId: call.requestId,
    startedAt: call.startedAt,
    signal: request.signal,
    trace: call.trace,
    strategy: request.header('x-switchyard-strategy') ?? undefined,
    pinnedProvider: request.header('x-switchyard-provider') ?? undefined,
  });
  return toOpenAIChatReply(await entry.call(admitted));
}

function models(request: GatewayHttpRequest, call: HttpCall): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(request.header('authorization'));
  const created = Math.floor(call.gateway.clock.now() / 1000);
  const list = toOpenAIModelList(call.entry.models(key), created);
  return Promise.resolve(jsonResponse(200, list, call.requestId));
}

function providersHealth(
  _request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const providers = call.gateway.providerHealth().map((view) => ({
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
  return Promise.resolve(jsonResponse(200, providers, call.requestId));
}

export function createGatewayHttp(
  options: GatewayHttpOptions,
): (request: GatewayHttpRequest) => Promise<GatewayHttpResponse> {
  const { gateway } = options;
  const entry = new ChatEntry(options);
  const routes = [...CORE_ROUTES, ...(options.dialects ?? DIALECT_ROUTES)];

  return async function handle(request: GatewayHttpRequest): Promise<GatewayHttpResponse> {
    const startedAt = gateway.clock.now();
    const requestId = validRequestId(request.header('x-request-id')) ?? randomUUID();
    const { matched, methodMismatch } = matchRoute(routes, request.method, request.path);
    const trace = gateway.tracer?.startRequest({
      method: request.method,
      path: request.path,
      route: matched?.route.path,
      requestId,
      header: (name) => request.header(name),
    });
    let response: GatewayHttpResponse;
    let failure: unknown;
    try {
      if (!matched) throw unrouted(request, methodMismatch);
      const maxBodyBytes = options.maxBodyBytes ?? entry.maxBodyBytes;
      const { params } = matched;
      const call = { requestId, startedAt, params, entry, gateway, maxBodyBytes, trace };
      response = await matched.route.handle(request, call);
    } catch (error) {
      failure = error;
      response = matched?.route.error?.(error, requestId) ?? errorResponse(error, requestId);
    }
    return trace ? endTraceWith(trace, response, failure) : response;
  };
}

function unrouted(request: GatewayHttpRequest, methodMismatch: boolean): GatewayError {
  return new GatewayError(
    methodMismatch
      ? {
          status: 405,
          type: 'invalid_request_error',
          code: 'method_not_allowed',
          message: `${clientText(request.method)} is not allowed on ${clientText(request.path)}`,
        }
      : {
          status: 404,
          type: 'not_found_error',
          code: 'not_found',
          message: `Unknown path ${clientText(request.path)}`,
        },
  );
}

function validRequestId(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  return /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}
