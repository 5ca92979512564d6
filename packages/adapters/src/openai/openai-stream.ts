// OpenAI-compatible SSE streams as pass-through events: each `data:` payload is summarised once
// (output? usage? finish?) and forwarded as the upstream wrote it. `[DONE]` is the only clean end;
// an in-stream error, unreadable bytes or a stream that stops early end with an `error` event.
import {
  parseJsonSafe,
  summarizeOpenAIChunk,
  UpstreamError,
  type StreamEvent,
} from '@switchyard/core';
import {
  readStream,
  type HttpResponse,
  type SseMessage,
  type StreamDecoder,
  type StreamFormat,
  type StreamRequest,
  type StreamState,
} from '../http/index.ts';
import { isJsonObject } from '../shared/index.ts';
import { isOpenAIErrorBody, readOpenAIError } from './openai-api.ts';
import { classifyOpenAIError, type OpenAIErrorContext } from './openai-error.ts';

export interface OpenAIStreamContext extends StreamRequest, OpenAIErrorContext {}

const DONE = '[DONE]';

function protocolError(context: OpenAIErrorContext, message: string): UpstreamError {
  return new UpstreamError({
    kind: 'protocol',
    message: `${context.vendor}: ${message}`,
    provider: context.provider,
  });
}

/** The in-stream error a chunk carries, if it is one (`{"error":…}`, or vLLM's older `{"object":"error",…}`). */
function streamError(data: string, context: OpenAIErrorContext): UpstreamError | undefined {
  // A quoted `"error"` only appears as a key or a whole value; escaped text inside content cannot match.
  if (!data.includes('"error"')) return undefined;
  const value = parseJsonSafe(data);
  if (!isJsonObject(value) || !isOpenAIErrorBody(value)) return undefined;
  return classifyOpenAIError(readOpenAIError(value), context);
}

/**
 * Azure's leading chunk carries only `prompt_filter_results` (older versions: `prompt_annotations`)
 * with empty `choices`, `id` and `model`: clients that index `choices[0]` break on it.
 */
function isPromptFilterChunk(data: string): boolean {
  return data.includes('"prompt_filter_results"') || data.includes('"prompt_annotations"');
}

/** Scans each payload (never re-serialises it); `[DONE]` completes the answer. */
class OpenAIStreamDecoder implements StreamDecoder<SseMessage> {
  state: StreamState = 'reading';

  constructor(private readonly context: OpenAIErrorContext) {}

  decode(message: SseMessage, events: StreamEvent[]): void {
    const data = message.data;
    if (data === DONE) {
      this.state = 'complete';
      return;
    }
    const event = summarizeOpenAIChunk(data);
    if (!event) {
      this.fail(
        events,
        protocolError(this.context, `unreadable stream data: ${data.slice(0, 100)}`),
      );
      return;
    }
    const error = streamError(data, this.context);
    if (error) {
      this.fail(events, error);
      return;
    }
    if (!event.hasOutput && !event.usage && !event.finish && isPromptFilterChunk(data)) return;
    events.push(event);
  }

  end(events: StreamEvent[]): void {
    this.fail(events, protocolError(this.context, 'the stream ended before [DONE]'));
  }

  private fail(events: StreamEvent[], error: UpstreamError): void {
    this.state = 'failed';
    events.push({ type: 'error', error });
  }
}

export function openAIStreamFormat(context: OpenAIErrorContext): StreamFormat<'sse'> {
  return {
    framing: 'sse',
    vendor: context.vendor,
    decode: () => new OpenAIStreamDecoder(context),
  };
}

/**
 * Events of an OpenAI-compatible stream whose 2xx headers have arrived. Stopping early
 * (`return()`), even before the first `next()`, closes the upstream connection.
 */
export function readOpenAIStream(
  response: HttpResponse,
  context: OpenAIStreamContext,
): AsyncIterable<StreamEvent> {
  return readStream(response, context, openAIStreamFormat(context));
}
