// Chat calls from tRPC (the playground, the inference API for apps) go through the gateway's
// transport-neutral chat entry, so they get exactly the same key checks, validation, routing,
// limits, metrics and logs as `POST /v1/chat/completions`, without a detour through HTTP.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import {
  expandOpenAIChunk,
  GatewayError,
  summarizeFailure,
  toOpenAIFinishReason,
  type ChatCall,
  type ChatReply,
  type Clock,
  type ServedHeaders,
  type StreamEvent,
} from '@switchyard/core';

/** The part of the chat entry tRPC calls. */
export interface ChatEntryPort {
  chat(call: ChatCall): Promise<ChatReply>;
}

export interface ProxyCallOptions {
  apiKey: string;
  /** Pins one provider (`x-switchyard-provider`). */
  provider?: string;
  signal?: AbortSignal;
}

/** The entry call for a body sent with the caller's key, the way an app would send it. */
export function chatCall(body: Record<string, unknown>, options: ProxyCallOptions): ChatCall {
  return {
    authorization: `Bearer ${options.apiKey}`,
    body,
    ...(options.provider ? { pinnedProvider: options.provider } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** Who served a response, from the gateway's served-by headers. */
export interface ServedBy {
  requestId: string | null;
  provider: string | null;
  attempts: string | null;
  cache: string | null;
}

export function servedBy(headers: ServedHeaders): ServedBy {
  return {
    requestId: headers['x-request-id'] ?? null,
    provider: headers['x-switchyard-provider'] ?? null,
    attempts: headers['x-switchyard-attempts'] ?? null,
    cache: headers['x-switchyard-cache'] ?? null,
  };
}

const CODES: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** Any error the entry threw, as the tRPC error with the same status and message. */
export function toTrpcError(error: unknown): TRPCError {
  const gatewayError = GatewayError.from(error);
  return trpcErrorFor(gatewayError.status, gatewayError.message);
}

export function trpcErrorFor(status: number, message: string): TRPCError {
  return new TRPCError({ code: CODES[status] ?? 'INTERNAL_SERVER_ERROR', message });
}

export interface StreamUsage {
  inputTokens: number;
  outputTokens: number;
}

export type ChatStreamEvent =
  | ({ type: 'start'; status: number } & ServedBy)
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      model: string | null;
      finishReason: string | null;
      usage: StreamUsage | null;
      latencyMs: number;
      firstTokenMs: number | null;
    }
  | { type: 'error'; message: string; status: number | null; latencyMs: number };

/** What the stream said so far, for the closing `done` event. */
interface StreamState {
  model: string | null;
  finishReason: string | null;
  usage: StreamUsage | null;
}

/**
 * Streams a chat completion through the entry and yields typed events: who served it, the text
 * as it arrives, then usage and timings. A failure before or during the stream ends with an
 * `error` event rather than a silent stop.
 */
export async function* streamChat(
  entry: ChatEntryPort,
  body: Record<string, unknown>,
  options: ProxyCallOptions,
  clock: Clock,
): AsyncGenerator<ChatStreamEvent> {
  const started = clock.now();
  let reply: ChatReply;
  try {
    reply = await entry.chat(
      chatCall({ ...body, stream: true, stream_options: { include_usage: true } }, options),
    );
  } catch (error) {
    const failure = GatewayError.from(error);
    yield {
      type: 'error',
      message: failure.message,
      status: failure.status,
      latencyMs: clock.now() - started,
    };
    return;
  }
  if (!('events' in reply)) {
    // The body asked for a stream, so the entry answers with one; anything else is a bug.
    yield {
      type: 'error',
      message: 'The gateway did not stream',
      status: null,
      latencyMs: clock.now() - started,
    };
    return;
  }
  yield { type: 'start', status: reply.status, ...servedBy(reply.headers) };
  const state: StreamState = { model: reply.model, finishReason: null, usage: null };
  let firstTokenMs: number | null = null;
  try {
    for await (const event of typedEvents(reply.events)) {
      if (event.type === 'error') {
        yield {
          type: 'error',
          message: summarizeFailure(event.error),
          status: null,
          latencyMs: clock.now() - started,
        };
        return;
      }
      if (event.type === 'text-delta' && event.text.length > 0) {
        firstTokenMs ??= clock.now() - started;
        yield { type: 'delta', text: event.text };
      }
      note(state, event);
    }
  } catch (error) {
    yield {
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      status: null,
      latencyMs: clock.now() - started,
    };
    return;
  }
  yield { type: 'done', ...state, latencyMs: clock.now() - started, firstTokenMs };
}

/** Pass-through chunks expanded into typed events; typed events as they are. */
async function* typedEvents(events: AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent> {
  for await (const event of events) {
    if (event.type === 'openai-chunk') yield* expandOpenAIChunk(event);
    else yield event;
  }
}

function note(state: StreamState, event: StreamEvent): void {
  if (event.type === 'start' && event.model) state.model = event.model;
  if (event.type === 'finish') state.finishReason = toOpenAIFinishReason(event.reason);
  if (event.type === 'usage')
    state.usage = { inputTokens: event.usage.inputTokens, outputTokens: event.usage.outputTokens };
}
