// The REST contract (OpenAI-compatible), independent of the HTTP server: the Fetch API handler
// and the node:http handler both translate to and from these shapes.
import { randomUUID } from 'node:crypto';
import { isStrategy } from '../routing/strategies.ts';
import { estimateInputTokens, estimateOutputTokens } from '../routing/usage-estimate.ts';
import type { Gateway } from '../service/gateway.ts';
import type { RequestOutcome } from '../metrics/index.ts';
import { requestedMaxTokens } from '../spec/chat-request.ts';
import { toOpenAIChatCompletion } from '../spec/chat-response.ts';
import { GatewayError, InvalidRequestError, isUpstreamError } from '../spec/errors.ts';
import { parseJsonSafe } from '../spec/safe-json.ts';
import { parseChatRequest } from '../spec/validation.ts';
import type { AuthenticatedKey, KeyRing } from '../keys/key-ring.ts';
import { OpenAISseEncoder } from './openai-sse.ts';
import type { StreamEvent } from '../spec/stream-events.ts';

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
  const gatewayError =
    error instanceof GatewayError
      ? error
      : isUpstreamError(error)
        ? new GatewayError({
            status: 502,
            type: 'upstream_error',
            code: error.kind,
            message: error.message,
          })
        : new GatewayError({
            status: 500,
            type: 'server_error',
            code: 'internal_error',
            message: 'Internal error',
          });
  const headers: Record<string, string> = { ...JSON_HEADERS, 'x-request-id': requestId };
  if (gatewayError.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(gatewayError.retryAfterMs / 1000)));
  const attempts = gatewayError.attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
  if (attempts > 0) headers['x-switchyard-attempts'] = String(attempts);
  return {
    kind: 'body',
    status: gatewayError.status,
    headers,
    body: JSON.stringify(gatewayError.toJSON()),
  };
}

export function createGatewayHttp(
  options: GatewayHttpOptions,
): (request: GatewayHttpRequest) => Promise<GatewayHttpResponse> {
  const { gateway, keys } = options;

  async function chatCompletions(
    request: GatewayHttpRequest,
    requestId: string,
    startedAt: number,
  ): Promise<GatewayHttpResponse> {
    const key = keys.authenticate(request.header('authorization'));
    const limit = options.maxBodyBytes ?? gateway.currentConfig.maxRequestBodyBytes;
    const text = await request.readBody(limit);
    const json = parseJsonSafe(text);
    if (json === undefined)
      throw new InvalidRequestError('The request body is not valid JSON', null, 'invalid_json');
    const body = parseChatRequest(json);
    const modelName = body.model ?? gateway.currentConfig.defaultRoute ?? 'default';
    const route = gateway.route(modelName);
    const maxTokens = requestedMaxTokens(body);
    if (route?.maxTokens !== undefined && maxTokens !== undefined && maxTokens > route.maxTokens) {
      throw new InvalidRequestError(
        `Max tokens exceeded: ${maxTokens} is more than the ${route.maxTokens} allowed on "${route.name}"`,
        body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
      );
    }
    const strategyHeader = request.header('x-switchyard-strategy') ?? undefined;
    if (strategyHeader !== undefined && !isStrategy(strategyHeader)) {
      throw new InvalidRequestError(
        `Unknown strategy "${strategyHeader}" in x-switchyard-strategy`,
        'x-switchyard-strategy',
      );
    }
    const pinned = request.header('x-switchyard-provider') ?? undefined;
    if (key)
      keys.admit(
        key,
        modelName,
        estimateInputTokens(body) + estimateOutputTokens(body),
        gateway.keyLimiter,
      );
    const context = {
      requestId,
      startedAt,
      signal: request.signal,
      ...(key ? { keyId: key.id } : {}),
      ...(strategyHeader !== undefined
        ? { strategy: strategyHeader }
        : key?.strategy
          ? { strategy: key.strategy }
          : {}),
      ...(pinned ? { pinnedProvider: pinned } : {}),
    };
    const settle = (outcome: Pick<RequestOutcome, 'costUsd' | 'inputTokens' | 'outputTokens'>) =>
      settleKey(key, outcome);

    if (body.stream) {
      const result = await gateway.stream(body, context);
      void result.done.then(settle);
      const headers: Record<string, string> = {
        ...SSE_HEADERS,
        'x-request-id': requestId,
        'x-switchyard-provider': result.provider,
        'x-switchyard-attempts': String(
          Math.max(1, result.attempts.filter((attempt) => attempt.outcome !== 'skipped').length),
        ),
      };
      if (result.cache) headers['x-switchyard-cache'] = result.cache;
      return {
        kind: 'sse',
        status: 200,
        headers,
        events: result.output,
        encoder: new OpenAISseEncoder({
          includeUsage: body.stream_options?.include_usage === true,
          fallbackId: `chatcmpl-${requestId}`,
          fallbackModel: result.model,
        }),
      };
    }
    const result = await gateway.complete(body, context);
    settle(await result.done);
    const headers: Record<string, string> = {
      ...JSON_HEADERS,
      'x-request-id': requestId,
      'x-switchyard-provider': result.provider,
      'x-switchyard-attempts': String(
        result.attempts.filter((attempt) => attempt.outcome !== 'skipped').length,
      ),
    };
    if (result.cache) headers['x-switchyard-cache'] = result.cache;
    return {
      kind: 'body',
      status: 200,
      headers,
      body: JSON.stringify(toOpenAIChatCompletion(result.output)),
    };
  }

  function settleKey(
    key: AuthenticatedKey | undefined,
    outcome: Pick<RequestOutcome, 'costUsd' | 'inputTokens' | 'outputTokens'>,
  ): void {
    if (!key) return;
    if (outcome.costUsd) keys.recordSpend(key.id, outcome.costUsd);
    const tokens = (outcome.inputTokens ?? 0) + (outcome.outputTokens ?? 0);
    if (tokens > 0) gateway.keyLimiter.recordTokens(key.id, tokens);
  }

  function models(request: GatewayHttpRequest, requestId: string): GatewayHttpResponse {
    const key = keys.authenticate(request.header('authorization'));
    const created = Math.floor(gateway.clock.now() / 1000);
    const names = gateway
      .modelNames()
      .filter((name) => !key || key.allowedRoutes.size === 0 || key.allowedRoutes.has(name));
    const data = names.map((id) => ({ id, object: 'model', created, owned_by: 'switchyard' }));
    return {
      kind: 'body',
      status: 200,
      headers: { ...JSON_HEADERS, 'x-request-id': requestId },
      body: JSON.stringify({ object: 'list', data }),
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
