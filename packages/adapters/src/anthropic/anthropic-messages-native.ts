// The Messages API spoken natively: a client's Messages body forwarded with only the model
// replaced (`withModel`), and the vendor's answer handed back as it came — the whole body as
// `ChatResponse.native`, or each SSE event as a `native` stream event. The unified fields routing,
// limits and metrics read (output seen, usage with cache tokens, finish) come from the same
// decoder the translated path uses, so they are read once and never written to the client.
import {
  isOutputEvent,
  nativeErrorResponse,
  parseJsonSafe,
  UpstreamError,
  type AdapterCall,
  type ChatResponse,
  type NativeRequest,
  type NativeStreamEvent,
  type StreamEvent,
} from '@switchyard/core';
import {
  readText,
  sendAccepted,
  type ErrorParser,
  type HttpRequest,
  type SseMessage,
  type StreamDecoder,
  type StreamFormat,
  type StreamState,
} from '../http/index.ts';
import { isJsonObject, protocolError } from '../shared/index.ts';
import { AnthropicStreamDecoder } from './anthropic-stream.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';

/** The client's Messages body when this call carries one. */
export function nativeMessages(call: AdapterCall): NativeRequest | undefined {
  return call.native?.dialect === 'messages' ? call.native : undefined;
}

/** The SSE frame of one event, in the framing Anthropic writes (`event:`, `data:`, blank line). */
export function sseFrame(message: Pick<SseMessage, 'event' | 'data'>): string {
  const event = message.event === undefined ? '' : `event: ${message.event}\n`;
  const data = message.data
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n');
  return `${event}${data}\n\n`;
}

/**
 * Anthropic SSE events as `native` frames. The unified decoder reads each event for the summary
 * fields; its errors (an `error` event, a body that ends before message_stop) end the stream as
 * error events, so a failure is never written as a clean frame.
 */
export class NativeMessagesDecoder implements StreamDecoder<SseMessage> {
  private readonly unified: AnthropicStreamDecoder;

  constructor(context: { provider: string; model: string }) {
    this.unified = new AnthropicStreamDecoder(context);
  }

  get state(): StreamState {
    return this.unified.state;
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    const unified: StreamEvent[] = [];
    this.unified.decode(message, unified);
    const failure = unified.find((event) => event.type === 'error');
    if (failure) {
      events.push(failure);
      return;
    }
    // Any content delta (thinking ones have no unified form) is output the client sees.
    const delta = message.event === 'content_block_delta';
    events.push(nativeEvent(sseFrame(message), unified, delta));
  }

  end(events: StreamEvent[]): void {
    this.unified.end(events);
  }
}

function nativeEvent(
  frame: string,
  unified: readonly StreamEvent[],
  delta: boolean,
): NativeStreamEvent {
  const event: NativeStreamEvent = {
    type: 'native',
    dialect: 'messages',
    frame,
    hasOutput: delta || unified.some(isOutputEvent),
  };
  for (const item of unified) {
    if (item.type === 'usage') event.usage = item.usage;
    else if (item.type === 'finish') event.finish = item.reason;
  }
  return event;
}

export function nativeMessagesStreamFormat(context: {
  provider: string;
  model: string;
}): StreamFormat<'sse'> {
  return {
    framing: 'sse',
    vendor: 'Anthropic',
    decode: () => new NativeMessagesDecoder(context),
  };
}

/** A non-streamed native call: the body as it came, plus the unified reading of it. */
export async function completeNativeMessages(
  request: HttpRequest,
  parseError: ErrorParser,
  call: AdapterCall,
  mapBody: (body: unknown) => ChatResponse = (body) =>
    mapAnthropicResponse(body, call.model, { provider: request.provider }),
): Promise<ChatResponse> {
  const response = await sendAccepted(request, parseError);
  const text = await readText(response, request);
  const unified = mapBody(parseJsonSafe(text));
  return { ...unified, native: { dialect: 'messages', body: text } };
}

/** The `input_tokens` of a count_tokens answer; a protocol error when the body has none. */
export function readInputTokens(body: unknown, provider: string): number {
  if (isJsonObject(body) && typeof body.input_tokens === 'number') return body.input_tokens;
  throw protocolError(provider, 'count_tokens answered 200 with a body without input_tokens');
}

/** The members of a Messages request that count_tokens accepts (it refuses `max_tokens` and the sampling fields). */
const COUNTED_MEMBERS = [
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
] as const;

export function countTokensBody(request: object): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of COUNTED_MEMBERS)
    if (name in request) body[name] = (request as Record<string, unknown>)[name];
  return body;
}

/**
 * The parser with the vendor's own error body kept on the error (a 4xx the client may be handed as
 * it came): `body` turns the vendor's text into the Messages envelope where it is not already one.
 */
export function keepingMessagesError(
  parseError: ErrorParser,
  body: (status: number, text: string) => string = (_status, text) => text,
): ErrorParser {
  return (response, text) => {
    const error = parseError(response, text);
    const native = nativeErrorResponse('messages', response.status, body(response.status, text));
    return native ? new UpstreamError({ ...error.toOptions(), native }) : error;
  };
}
