// Chat calls from tRPC (the playground, the inference API for apps) go through the gateway's own
// REST handler, so they get exactly the same key checks, routing, limits, metrics and logs as
// `POST /v1/chat/completions`.
import { parseSse } from '@switchyard/adapters';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { Clock } from '@switchyard/core';

export interface ProxyHandler {
  handle(request: Request): Promise<Response>;
}

export interface ProxyCallOptions {
  apiKey: string;
  /** Pins one provider (`x-switchyard-provider`). */
  provider?: string;
  signal?: AbortSignal;
}

const INTERNAL_ORIGIN = 'http://switchyard.internal';

export function chatRequest(body: Record<string, unknown>, options: ProxyCallOptions): Request {
  const headers = new Headers({
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/json',
  });
  if (options.provider) headers.set('x-switchyard-provider', options.provider);
  return new Request(`${INTERNAL_ORIGIN}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Who served a response, from the gateway's headers. */
export interface ServedBy {
  requestId: string | null;
  provider: string | null;
  attempts: string | null;
  cache: string | null;
}

export function servedBy(response: Response): ServedBy {
  return {
    requestId: response.headers.get('x-request-id'),
    provider: response.headers.get('x-switchyard-provider'),
    attempts: response.headers.get('x-switchyard-attempts'),
    cache: response.headers.get('x-switchyard-cache'),
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

/** The message of an OpenAI error envelope, or the body text. */
export async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not JSON: the text itself is the message
  }
  return text.trim() || `HTTP ${response.status}`;
}

export async function toTrpcError(response: Response): Promise<TRPCError> {
  return trpcErrorFor(response.status, await errorMessageOf(response));
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

interface ChunkShape {
  model?: unknown;
  choices?: Array<{ delta?: { content?: unknown }; finish_reason?: unknown }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  error?: { message?: unknown };
}

/**
 * Streams a chat completion through the handler and yields typed events: who served it, the
 * text as it arrives, then usage and timings. A failure before or during the stream ends with
 * an `error` event rather than a silent stop.
 */
export async function* streamChat(
  handler: ProxyHandler,
  body: Record<string, unknown>,
  options: ProxyCallOptions,
  clock: Clock,
): AsyncGenerator<ChatStreamEvent> {
  const started = clock.now();
  const response = await handler.handle(
    chatRequest({ ...body, stream: true, stream_options: { include_usage: true } }, options),
  );
  if (!response.ok || !response.body) {
    yield {
      type: 'error',
      message: await errorMessageOf(response),
      status: response.status,
      latencyMs: clock.now() - started,
    };
    return;
  }
  yield { type: 'start', status: response.status, ...servedBy(response) };
  let firstTokenMs: number | null = null;
  let model: string | null = null;
  let finishReason: string | null = null;
  let usage: StreamUsage | null = null;
  let sawDone = false;
  try {
    for await (const message of parseSse(response.body as unknown as AsyncIterable<Uint8Array>)) {
      if (message.data === '[DONE]') {
        sawDone = true;
        break;
      }
      let chunk: ChunkShape;
      try {
        chunk = JSON.parse(message.data) as ChunkShape;
      } catch {
        continue;
      }
      if (chunk.error) {
        yield {
          type: 'error',
          message:
            typeof chunk.error.message === 'string' ? chunk.error.message : 'The stream failed',
          status: null,
          latencyMs: clock.now() - started,
        };
        return;
      }
      if (typeof chunk.model === 'string') model = chunk.model;
      for (const choice of chunk.choices ?? []) {
        const text = choice.delta?.content;
        if (typeof text === 'string' && text.length > 0) {
          firstTokenMs ??= clock.now() - started;
          yield { type: 'delta', text };
        }
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
      }
      if (
        chunk.usage &&
        typeof chunk.usage.prompt_tokens === 'number' &&
        typeof chunk.usage.completion_tokens === 'number'
      )
        usage = {
          inputTokens: chunk.usage.prompt_tokens,
          outputTokens: chunk.usage.completion_tokens,
        };
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
  if (!sawDone && finishReason === null) {
    yield {
      type: 'error',
      message: 'The stream ended before the answer was complete.',
      status: null,
      latencyMs: clock.now() - started,
    };
    return;
  }
  yield {
    type: 'done',
    model,
    finishReason,
    usage,
    latencyMs: clock.now() - started,
    firstTokenMs,
  };
}
