// The transport-neutral entry for chat completions: admission (API key, key limits and budget,
// request validation, once) and the call, answering with served-by headers and either the whole
// response or its typed stream events. HTTP (node:http, Fetch) and tRPC reach the gateway only
// through here; each client dialect maps its own wire format onto it.
import { randomUUID } from 'node:crypto';
import type { AuthenticatedKey, KeyRing } from '../keys/key-ring.ts';
import type { ClientDialect, RequestOutcome } from '../metrics/gateway-events.ts';
import { isStrategy } from '../routing/strategies.ts';
import { estimateInputTokens, estimateOutputTokens } from '../routing/usage-estimate.ts';
import type { CompletionResult } from '../service/completion-result.ts';
import type { Gateway } from '../service/gateway.ts';
import type { RequestContext } from '../service/request-context.ts';
import { requestedMaxTokens, type ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import { clientText, InvalidRequestError, type GatewayError } from '../spec/errors.ts';
import type { NativeRequest } from '../spec/native-dialect.ts';
import type { RequestTrace } from '../trace/request-tracer.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { parseChatRequest } from '../spec/validation.ts';
import type { EmbeddingRequest } from '../spec/embedding-request.ts';
import { embedThroughEntry, type EmbeddingReply } from './embedding-entry.ts';

export interface ChatEntryOptions {
  gateway: Gateway;
  keys: KeyRing;
}

/** What a transport knows about a request besides its body. */
export interface ChatCallDetails {
  requestId: string;
  /** When the request arrived (epoch ms). */
  startedAt: number;
  /** Aborted when the client goes away. */
  signal?: AbortSignal | undefined;
  /** Send to this provider only (`x-switchyard-provider`). */
  pinnedProvider?: string | undefined;
  /** A strategy name overriding the route's (`x-switchyard-strategy`); checked here. */
  strategy?: string | undefined;
  /** The client's own body, when its dialect may be spoken natively by a target. */
  native?: NativeRequest | undefined;
  /** The wire format the client spoke (chat when not said), for request logs. */
  dialect?: ClientDialect | undefined;
  /** The request's trace, when the transport traces it. */
  trace?: RequestTrace | undefined;
}

/** A request that passed admission: ready to be called. */
export interface AdmittedChat {
  key: AuthenticatedKey | undefined;
  request: ChatRequest;
  context: RequestContext & { requestId: string };
  /** The request's estimated tokens, checked against the key's limits. */
  estimatedTokens?: number | undefined;
}

/** Who served the answer: `x-request-id`, `x-switchyard-provider`, `-attempts` and `-cache`. */
export type ServedHeaders = Record<string, string>;

export type ChatReply =
  | { status: number; headers: ServedHeaders; request: ChatRequest; response: ChatResponse }
  | {
      status: number;
      headers: ServedHeaders;
      request: ChatRequest;
      events: AsyncIterable<StreamEvent>;
      /** The model serving the stream, for events that do not name one. */
      model: string;
    };

/** Everything about one call in one object, for callers that hold the whole request at once. */
export interface ChatCall extends Partial<ChatCallDetails> {
  authorization: string | null | undefined;
  body: unknown;
}

export class ChatEntry {
  private readonly gateway: Gateway;
  private readonly keys: KeyRing;

  constructor(options: ChatEntryOptions) {
    this.gateway = options.gateway;
    this.keys = options.keys;
  }

  /** The caller's key; undefined when no keys are configured (open gateway). Throws 401. */
  authenticate(authorization: string | null | undefined): AuthenticatedKey | undefined {
    return this.keys.authenticate(authorization);
  }

  /** Validates the body and the call against the route and the key's limits. Throws 4xx. */
  admit(key: AuthenticatedKey | undefined, body: unknown, details: ChatCallDetails): AdmittedChat {
    const request = parseChatRequest(body);
    const modelName = request.model ?? this.gateway.currentConfig.defaultRoute ?? 'default';
    checkMaxTokens(request, this.gateway.route(modelName));
    const strategy = checkStrategy(details.strategy);
    let estimatedTokens: number | undefined;
    if (key) {
      estimatedTokens = estimateInputTokens(request) + estimateOutputTokens(request);
      this.keys.admit(key, modelName, estimatedTokens, this.gateway.keyLimiter);
    }
    const context = {
      requestId: details.requestId,
      startedAt: details.startedAt,
      signal: details.signal,
      ...(key ? { keyId: key.id } : {}),
      ...(key?.logBodies !== undefined ? { logBodies: key.logBodies } : {}),
      ...(strategy !== undefined ? { strategy } : key?.strategy ? { strategy: key.strategy } : {}),
      ...(details.pinnedProvider ? { pinnedProvider: details.pinnedProvider } : {}),
      ...(details.native ? { native: details.native } : {}),
      ...(details.dialect ? { dialect: details.dialect } : {}),
      trace: details.trace,
    };
    return { key, request, context, estimatedTokens };
  }

  /** Serves an admitted request; spend and tokens are charged to its key when it ends. */
  async call(admitted: AdmittedChat): Promise<ChatReply> {
    const { request, context, key } = admitted;
    const waitStarted = key?.limits?.maxConcurrency !== undefined ? performance.now() : undefined;
    // Multi-instance mode: the fleet-wide budget, limits and concurrency slot, decided by the
    // shared store; `charge` also gives the slot back, so it is called when the answer ends.
    const charge = key
      ? await this.keys.admitShared(key, admitted.estimatedTokens ?? 0, this.gateway.keyLimiter, {
          concurrency: true,
        })
      : () => undefined;
    // The key's concurrency slot is held until the answer ends: a stream's when it closes.
    const slot = key ? this.holdSlot(key, charge) : () => undefined;
    if (waitStarted !== undefined)
      this.gateway.metrics.observeSlotWait('key', performance.now() - waitStarted);
    const release = () => {
      charge(0);
      slot();
    };
    if (request.stream) {
      const result = await this.gateway.stream(request, context).catch((error: unknown) => {
        release();
        throw error;
      });
      void result.done
        .then((outcome) => {
          charge(outcome.costUsd ?? 0);
          this.settle(key, outcome);
        })
        .finally(release);
      const attempts = Math.max(1, countAttempts(result));
      const headers = servedHeaders(result, attempts);
      return { status: 200, headers, request, events: result.output, model: result.model };
    }
    try {
      const result = await this.gateway.complete(request, context);
      const outcome = await result.done;
      charge(outcome.costUsd ?? 0);
      this.settle(key, outcome);
      const headers = servedHeaders(result, countAttempts(result));
      return { status: 200, headers, request, response: result.output };
    } finally {
      release();
    }
  }

  /** Authenticate, admit and call in one step; every refusal is a rejection, never a throw. */
  async chat(call: ChatCall): Promise<ChatReply> {
    const key = this.authenticate(call.authorization);
    const details = Object.assign({}, call, {
      requestId: call.requestId ?? randomUUID(),
      startedAt: call.startedAt ?? this.gateway.clock.now(),
    });
    return await this.call(this.admit(key, call.body, details));
  }

  /** Embeddings, admitted like chat (key, allowed routes, token limits, budget): `embedding-entry.ts`. */
  async embed(
    key: AuthenticatedKey | undefined,
    request: EmbeddingRequest,
    details: ChatCallDetails,
  ): Promise<EmbeddingReply> {
    const parts = {
      gateway: this.gateway,
      keys: this.keys,
      settle: (outcome: Pick<RequestOutcome, 'costUsd' | 'inputTokens' | 'outputTokens'>) =>
        this.settle(key, outcome),
    };
    const strategy = checkStrategy(details.strategy);
    return await embedThroughEntry(parts, key, request, { ...details, strategy });
  }

  /** The model names a key may send: routes and public model names. */
  models(key: AuthenticatedKey | undefined): string[] {
    return this.gateway
      .modelNames()
      .filter((name) => !key || key.allowedRoutes.size === 0 || key.allowedRoutes.has(name));
  }

  /** Largest request body accepted, from the config. */
  get maxBodyBytes(): number {
    return this.gateway.currentConfig.maxRequestBodyBytes;
  }

  private holdSlot(key: AuthenticatedKey, charge: (costUsd: number) => void): () => void {
    try {
      return this.keys.holdSlot(key, this.gateway.keyLimiter);
    } catch (error) {
      charge(0);
      throw error;
    }
  }

  private settle(
    key: AuthenticatedKey | undefined,
    outcome: Pick<RequestOutcome, 'costUsd' | 'inputTokens' | 'outputTokens'>,
  ): void {
    if (!key) return;
    if (outcome.costUsd) this.keys.recordSpend(key.id, outcome.costUsd);
    // Only a tokens-per-minute limit reads these counts: without one, nothing is written (in
    // multi-instance mode that would be a Redis write per answer).
    if (key.limits?.tokensPerMinute === undefined) return;
    const tokens = (outcome.inputTokens ?? 0) + (outcome.outputTokens ?? 0);
    if (tokens > 0) this.gateway.keyLimiter.recordTokens(key.id, tokens);
  }
}

/** Headers for an error answer: the request id, `Retry-After` and the attempts made. */
export function errorHeaders(error: GatewayError, requestId: string): ServedHeaders {
  const headers: ServedHeaders = { 'x-request-id': requestId };
  if (error.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  const attempts = error.attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
  if (attempts > 0) headers['x-switchyard-attempts'] = String(attempts);
  return headers;
}

function checkMaxTokens(
  request: ChatRequest,
  route: { name: string; maxTokens?: number } | undefined,
): void {
  const maxTokens = requestedMaxTokens(request);
  if (route?.maxTokens === undefined || maxTokens === undefined || maxTokens <= route.maxTokens)
    return;
  throw new InvalidRequestError(
    `Max tokens exceeded: ${maxTokens} is more than the ${route.maxTokens} allowed on "${route.name}"`,
    request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
  );
}

function checkStrategy(strategy: string | undefined): RequestContext['strategy'] {
  if (strategy === undefined) return undefined;
  if (isStrategy(strategy)) return strategy;
  throw new InvalidRequestError(
    `Unknown strategy "${clientText(strategy)}" in x-switchyard-strategy`,
    'x-switchyard-strategy',
  );
}

function countAttempts(result: CompletionResult<unknown>): number {
  return result.attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
}

function servedHeaders(result: CompletionResult<unknown>, attempts: number): ServedHeaders {
  const headers: ServedHeaders = {
    'x-request-id': result.requestId,
    'x-switchyard-provider': result.provider,
    'x-switchyard-attempts': String(attempts),
  };
  if (result.cache) headers['x-switchyard-cache'] = result.cache;
  return headers;
}
