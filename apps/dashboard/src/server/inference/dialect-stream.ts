// The playground in the Responses and Messages dialects: the request goes through the gateway's
// own REST handler, exactly as an app's `POST /v1/responses` or `POST /v1/messages` would, and
// the dialect's SSE events are read back into the playground's typed events. Chat Completions
// calls skip HTTP and use the chat entry (`proxy-call.ts`).
import { parseSse } from '@switchyard/adapters';
import { parseJsonSafe, type ChatMessage, type Clock } from '@switchyard/core';
import type { ChatStreamEvent, ProxyCallOptions, StreamUsage } from './proxy-call.ts';

export type PlaygroundDialect = 'chat' | 'responses' | 'messages';

export const PLAYGROUND_DIALECTS: readonly PlaygroundDialect[] = ['chat', 'responses', 'messages'];

/** The REST proxy as a Fetch handler (the runtime's `handle`). */
export type FetchPort = (request: Request) => Promise<Response>;

export interface DialectRequest {
  /** A route or public model; omitted (Responses only): the default route. */
  model?: string | undefined;
  messages: readonly ChatMessage[];
  temperature?: number | undefined;
  maxTokens?: number | undefined;
}

/** The Messages API needs `max_tokens`; the playground sends this when none is set. */
export const MESSAGES_DEFAULT_MAX_TOKENS = 1024;

/** A message's text: the playground sends strings, the schema also allows text parts. */
function textOf(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter(Boolean)
    .join('\n');
}

function systemText(messages: readonly ChatMessage[]): string | undefined {
  const text = messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map(textOf)
    .join('\n\n');
  return text || undefined;
}

function turns(messages: readonly ChatMessage[]): { role: 'user' | 'assistant'; text: string }[] {
  return messages.flatMap((message) =>
    message.role === 'user' || message.role === 'assistant'
      ? [{ role: message.role, text: textOf(message) }]
      : [],
  );
}

/** The path and body an app would send for this conversation in the dialect. */
export function dialectBody(
  dialect: Exclude<PlaygroundDialect, 'chat'>,
  request: DialectRequest,
): { path: string; body: Record<string, unknown> } {
  const system = systemText(request.messages);
  if (dialect === 'responses')
    return {
      path: '/v1/responses',
      body: {
        ...(request.model ? { model: request.model } : {}),
        input: turns(request.messages).map((turn) => ({ role: turn.role, content: turn.text })),
        ...(system ? { instructions: system } : {}),
        stream: true,
        // The playground resends the whole conversation each turn, so nothing needs storing.
        store: false,
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { max_output_tokens: request.maxTokens } : {}),
      },
    };
  return {
    path: '/v1/messages',
    body: {
      ...(request.model ? { model: request.model } : {}),
      ...(system ? { system } : {}),
      messages: turns(request.messages).map((turn) => ({ role: turn.role, content: turn.text })),
      max_tokens: request.maxTokens ?? MESSAGES_DEFAULT_MAX_TOKENS,
      stream: true,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    },
  };
}

/** A Fetch body's chunks as an async iterable (the DOM typings do not declare it one). */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The error message of a dialect's error envelope (both put it at `error.message`). */
function errorText(value: unknown, fallback: string): string {
  const message = asObject(asObject(value)?.error)?.message ?? asObject(value)?.message;
  return typeof message === 'string' && message ? message : fallback;
}

/** What a stream said so far, for the closing `done` event. */
interface Progress {
  model: string | null;
  finishReason: string | null;
  usage: StreamUsage | null;
}

type Step =
  { kind: 'text'; text: string } | { kind: 'error'; message: string } | { kind: 'end' } | undefined;

/** One Responses event: text, the end, or a failure; the progress updated on the way. */
function responsesStep(type: string, data: Json, progress: Progress): Step {
  const response = asObject(data.response);
  if (typeof response?.model === 'string') progress.model = response.model;
  switch (type) {
    case 'response.output_text.delta':
      return typeof data.delta === 'string' ? { kind: 'text', text: data.delta } : undefined;
    case 'response.completed':
    case 'response.incomplete': {
      const usage = asObject(response?.usage);
      if (usage)
        progress.usage = {
          inputTokens: numberOr(usage.input_tokens, 0),
          outputTokens: numberOr(usage.output_tokens, 0),
        };
      const reason = asObject(response?.incomplete_details)?.reason;
      progress.finishReason =
        type === 'response.completed'
          ? 'stop'
          : reason === 'max_output_tokens'
            ? 'length'
            : typeof reason === 'string'
              ? reason
              : 'incomplete';
      return { kind: 'end' };
    }
    case 'response.failed':
      return { kind: 'error', message: errorText(response, 'The response failed') };
    case 'error':
      return { kind: 'error', message: errorText(data, 'The stream failed') };
    default:
      return undefined;
  }
}

const STOP_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** One Messages event, likewise. */
function messagesStep(type: string, data: Json, progress: Progress): Step {
  switch (type) {
    case 'message_start': {
      const message = asObject(data.message);
      if (typeof message?.model === 'string') progress.model = message.model;
      const usage = asObject(message?.usage);
      if (usage) progress.usage = { inputTokens: numberOr(usage.input_tokens, 0), outputTokens: 0 };
      return undefined;
    }
    case 'content_block_delta': {
      const delta = asObject(data.delta);
      return delta?.type === 'text_delta' && typeof delta.text === 'string'
        ? { kind: 'text', text: delta.text }
        : undefined;
    }
    case 'message_delta': {
      const reason = asObject(data.delta)?.stop_reason;
      if (typeof reason === 'string') progress.finishReason = STOP_REASONS[reason] ?? reason;
      const usage = asObject(data.usage);
      if (usage) {
        const input = progress.usage?.inputTokens ?? 0;
        progress.usage = {
          inputTokens: numberOr(usage.input_tokens, input),
          outputTokens: numberOr(usage.output_tokens, 0),
        };
      }
      return undefined;
    }
    case 'message_stop':
      return { kind: 'end' };
    case 'error':
      return { kind: 'error', message: errorText(data, 'The stream failed') };
    default:
      return undefined;
  }
}

/**
 * Streams the conversation through the dialect's REST endpoint and yields the playground's typed
 * events: who served it, the text as it arrives, then usage and timings. An HTTP error, an error
 * event, or a stream that stops before its closing event ends with an `error` event.
 */
export async function* streamDialect(
  handle: FetchPort,
  dialect: Exclude<PlaygroundDialect, 'chat'>,
  request: DialectRequest,
  options: ProxyCallOptions,
  clock: Clock,
): AsyncGenerator<ChatStreamEvent> {
  const started = clock.now();
  const elapsed = () => clock.now() - started;
  const fail = (message: string, status: number | null = null): ChatStreamEvent => ({
    type: 'error',
    message,
    status,
    latencyMs: elapsed(),
  });
  const { path, body } = dialectBody(dialect, request);
  let response: Response;
  try {
    response = await handle(
      new Request(`http://gateway.internal${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          'content-type': 'application/json',
          ...(dialect === 'messages' ? { 'anthropic-version': '2023-06-01' } : {}),
          ...(options.provider ? { 'x-switchyard-provider': options.provider } : {}),
        },
        body: JSON.stringify(body),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  } catch (error) {
    yield fail(error instanceof Error ? error.message : String(error));
    return;
  }
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  if (!response.ok || !isStream || !response.body) {
    const text = await response.text();
    const fallback = response.ok ? 'The gateway did not stream' : text.slice(0, 500);
    yield fail(errorText(parseJsonSafe(text), fallback), response.ok ? null : response.status);
    return;
  }
  const header = (name: string) => response.headers.get(name);
  yield {
    type: 'start',
    status: response.status,
    requestId: header('x-request-id'),
    provider: header('x-switchyard-provider'),
    attempts: header('x-switchyard-attempts'),
    cache: header('x-switchyard-cache'),
  };
  const progress: Progress = { model: null, finishReason: null, usage: null };
  const stepOf = dialect === 'responses' ? responsesStep : messagesStep;
  let firstTokenMs: number | null = null;
  let ended = false;
  try {
    for await (const message of parseSse(chunksOf(response.body))) {
      const data = asObject(parseJsonSafe(message.data));
      if (!data) continue;
      const type = message.event ?? (typeof data.type === 'string' ? data.type : '');
      const step = stepOf(type, data, progress);
      if (step?.kind === 'text' && step.text.length > 0) {
        firstTokenMs ??= elapsed();
        yield { type: 'delta', text: step.text };
      } else if (step?.kind === 'error') {
        yield fail(step.message);
        return;
      } else if (step?.kind === 'end') ended = true;
    }
  } catch (error) {
    yield fail(error instanceof Error ? error.message : String(error));
    return;
  }
  yield ended
    ? { type: 'done', ...progress, latencyMs: elapsed(), firstTokenMs }
    : fail('The stream ended before its closing event');
}
