// OpenAI-compatible SSE streams as pass-through events: each `data:` payload is summarised once
// (output? usage? finish?) and forwarded as the upstream wrote it. `[DONE]` is the only clean end;
// an in-stream error, unreadable bytes or a stream that stops early end with an `error` event.
import {
  parseJsonSafe,
  summarizeOpenAIChunk,
  UpstreamError,
  type StreamEvent,
} from '@switchyard/core';
import { parseSse, toNetworkError, type HttpRequest, type HttpResponse } from '../http/index.ts';
import { isJsonObject, isOpenAIErrorBody, readOpenAIError } from './openai-api.ts';
import { classifyOpenAIError, type OpenAIErrorContext } from './openai-error.ts';

type StreamRequest = Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>;

const DONE = '[DONE]';

function protocolError(context: OpenAIErrorContext, message: string): StreamEvent {
  return {
    type: 'error',
    error: new UpstreamError({
      kind: 'protocol',
      message: `${context.vendor}: ${message}`,
      provider: context.provider,
    }),
  };
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

async function* readChunks(
  response: HttpResponse,
  request: StreamRequest,
  context: OpenAIErrorContext,
): AsyncGenerator<StreamEvent> {
  let done = false;
  let failure: StreamEvent | undefined;
  try {
    for await (const message of parseSse(response.body)) {
      // After [DONE] the rest is read only so the connection can go back to the pool.
      if (done) continue;
      const data = message.data;
      if (data === DONE) {
        done = true;
        continue;
      }
      const event = summarizeOpenAIChunk(data);
      if (!event) {
        failure = protocolError(context, `unreadable stream data: ${data.slice(0, 100)}`);
        break;
      }
      const error = streamError(data, context);
      if (error) {
        failure = { type: 'error', error };
        break;
      }
      if (!event.hasOutput && !event.usage && !event.finish && isPromptFilterChunk(data)) continue;
      yield event;
    }
  } catch (error) {
    const mapped = toNetworkError(error, request);
    // A caller abort is not an upstream failure; it ends the iteration as thrown.
    if (!(mapped instanceof UpstreamError)) throw mapped;
    failure = { type: 'error', error: mapped };
  } finally {
    if (!done) response.body.destroy();
  }
  if (failure) yield failure;
  else if (!done) yield protocolError(context, 'the stream ended before [DONE]');
}

/**
 * Events of an OpenAI-compatible stream whose 2xx headers have arrived. Stopping early
 * (`return()`), even before the first `next()`, closes the upstream connection.
 */
export function openAIStreamEvents(
  response: HttpResponse,
  request: StreamRequest,
  context: OpenAIErrorContext,
): AsyncIterable<StreamEvent> {
  return {
    [Symbol.asyncIterator]() {
      const events = readChunks(response, request, context);
      return {
        next: () => events.next(),
        return: async (value?: unknown) => {
          response.body.destroy();
          return events.return(value);
        },
        throw: (error?: unknown) => events.throw(error),
      };
    },
  };
}
