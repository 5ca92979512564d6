// OpenAI-compatible SSE streams as pass-through events: each `data:` payload is summarised once
// (output? usage? finish?) and forwarded as the upstream wrote it. `[DONE]` is the only clean end;
// an in-stream error, unreadable bytes or a stream that stops early end with an `error` event.
import {
  parseJsonSafe,
  summarizeOpenAIChunk,
  UpstreamError,
  type StreamEvent,
} from '@switchyard/core';
import { SseParser, toNetworkError, type HttpRequest, type HttpResponse } from '../http/index.ts';
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

/**
 * Reads the body one network chunk at a time and turns each into its events synchronously (a
 * chunk often holds many SSE events): no async step per event on the hot path.
 */
class OpenAIStreamReader implements AsyncIterator<StreamEvent> {
  private readonly queue: StreamEvent[] = [];
  private readonly parser = new SseParser();
  private readonly chunks: AsyncIterator<Uint8Array>;
  /** No event follows the queued ones. */
  private finished = false;
  /** [DONE] arrived: what follows is read (and dropped) before the stream reports its end. */
  private drainAfterDone = false;

  constructor(
    private readonly response: HttpResponse,
    private readonly request: StreamRequest,
    private readonly context: OpenAIErrorContext,
  ) {
    this.chunks = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const event = this.queue.shift();
      if (event) return { done: false, value: event };
      if (this.finished) {
        if (this.drainAfterDone) await this.drain();
        return { done: true, value: undefined };
      }
      await this.read();
    }
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    this.stop();
    return Promise.resolve({ done: true, value: undefined });
  }

  private async read(): Promise<void> {
    let chunk: IteratorResult<Uint8Array>;
    try {
      chunk = await this.chunks.next();
    } catch (error) {
      const mapped = toNetworkError(error, this.request);
      // A caller abort is not an upstream failure; it ends the iteration as thrown.
      if (!(mapped instanceof UpstreamError)) {
        this.stop();
        throw mapped;
      }
      this.fail({ type: 'error', error: mapped });
      return;
    }
    const messages = chunk.done ? this.parser.end() : this.parser.push(chunk.value);
    for (const message of messages) {
      this.accept(message.data);
      if (this.finished) return;
    }
    if (chunk.done) this.fail(protocolError(this.context, 'the stream ended before [DONE]'));
  }

  private accept(data: string): void {
    if (data === DONE) {
      this.finished = true;
      this.drainAfterDone = true;
      return;
    }
    const event = summarizeOpenAIChunk(data);
    if (!event) {
      this.fail(protocolError(this.context, `unreadable stream data: ${data.slice(0, 100)}`));
      return;
    }
    const error = streamError(data, this.context);
    if (error) {
      this.fail({ type: 'error', error });
      return;
    }
    if (!event.hasOutput && !event.usage && !event.finish && isPromptFilterChunk(data)) return;
    this.queue.push(event);
  }

  /** Reads the rest (usually just the end of the chunked body) so the connection can go back to the pool. */
  private async drain(): Promise<void> {
    this.drainAfterDone = false;
    try {
      for (let chunk = await this.chunks.next(); !chunk.done; chunk = await this.chunks.next());
    } catch {
      // the connection is dropped instead of reused; the answer was already complete
    }
  }

  private fail(event: StreamEvent): void {
    this.queue.push(event);
    this.finished = true;
    this.response.body.destroy();
  }

  private stop(): void {
    this.finished = true;
    this.drainAfterDone = false;
    this.queue.length = 0;
    this.response.body.destroy();
  }
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
  return { [Symbol.asyncIterator]: () => new OpenAIStreamReader(response, request, context) };
}
