// OpenAI-compatible SSE streams as pass-through events: each `data:` payload is summarised once
// (output? usage? finish?) and forwarded as the upstream wrote it. `[DONE]` is the only clean end;
// an in-stream error, unreadable bytes or a stream that stops early end with an `error` event.
import {
  parseJsonSafe,
  summarizeOpenAIChunk,
  type StreamEvent,
  type UpstreamError,
} from '@switchyard/core';
import {
  streamReader,
  VendorStreamDecoder,
  type SseMessage,
  type StreamFormat,
  type StreamRequest,
} from '../http/index.ts';
import { isJsonObject } from '../shared/index.ts';
import { isOpenAIErrorBody, readOpenAIError } from './openai-api.ts';
import { classifyOpenAIError, type OpenAIErrorContext } from './openai-error.ts';

export interface OpenAIStreamContext extends StreamRequest, OpenAIErrorContext {}

const DONE = '[DONE]';

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
class OpenAIStreamDecoder extends VendorStreamDecoder<SseMessage> {
  constructor(private readonly context: OpenAIErrorContext) {
    super(context.provider, context.vendor);
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    const data = message.data;
    if (data === DONE) {
      this.state = 'complete';
      return;
    }
    const event = summarizeOpenAIChunk(data);
    if (!event) {
      events.push(this.fail(this.protocolError(`unreadable stream data: ${data.slice(0, 100)}`)));
      return;
    }
    const error = streamError(data, this.context);
    if (error) {
      events.push(this.fail(error));
      return;
    }
    if (!event.hasOutput && !event.usage && !event.finish && isPromptFilterChunk(data)) return;
    events.push(event);
  }

  end(events: StreamEvent[]): void {
    events.push(this.fail(this.protocolError('the stream ended before [DONE]')));
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
export const readOpenAIStream = streamReader<'sse', OpenAIStreamContext>(openAIStreamFormat);
