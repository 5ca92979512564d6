// Reads an accepted stream body one network chunk at a time: the framing (SSE, NDJSON, AWS event
// stream) cuts it into messages and the vendor's decoder turns each into events synchronously, so
// a chunk holding many events costs no async step per event. Network failures and malformed bytes
// end the stream with an `error` event; a caller abort rejects the iteration.
import { UpstreamError, type StreamEvent } from '@switchyard/core';
import { EventStreamParser, type EventStreamFrame } from './aws-event-stream.ts';
import { abandonBody, toNetworkError, type HttpRequest, type HttpResponse } from './http-client.ts';
import { NdjsonParser } from './ndjson.ts';
import { SseParser, type SseMessage } from './sse.ts';

export type StreamFraming = 'sse' | 'ndjson' | 'aws-event-stream';

/** What one framed message of each framing is. */
export interface FramedMessages {
  sse: SseMessage;
  ndjson: string;
  'aws-event-stream': EventStreamFrame;
}

/** `complete`: the answer is whole, the rest of the body is drained unread; `failed`: the body is closed. */
export type StreamState = 'reading' | 'complete' | 'failed';

export interface StreamDecoder<Message> {
  readonly state: StreamState;
  /** Events known before any byte arrives (a `start` the vendor never sends). */
  begin?(events: StreamEvent[]): void;
  /** Appends the events one framed message carries. */
  decode(message: Message, events: StreamEvent[]): void;
  /** The body ended while still `reading`: appends the closing events, or an error. */
  end(events: StreamEvent[]): void;
}

/** The state and error events every vendor decoder shares. */
export abstract class VendorStreamDecoder<Message> implements StreamDecoder<Message> {
  state: StreamState = 'reading';

  /** `label` starts protocol error messages, e.g. `Gemini stream`. */
  protected constructor(
    protected readonly provider: string,
    private readonly label: string,
  ) {}

  abstract decode(message: Message, events: StreamEvent[]): void;
  abstract end(events: StreamEvent[]): void;

  /** The error event that ends the stream. */
  protected fail(error: UpstreamError): StreamEvent {
    this.state = 'failed';
    return { type: 'error', error };
  }

  protected protocolError(message: string): UpstreamError {
    return new UpstreamError({
      kind: 'protocol',
      message: `${this.label}: ${message}`,
      provider: this.provider,
    });
  }
}

export interface StreamFormat<F extends StreamFraming> {
  framing: F;
  /** The vendor's name in protocol errors (`Bedrock stream: …`). */
  vendor: string;
  decode: (response: HttpResponse) => StreamDecoder<FramedMessages[F]>;
}

export type StreamRequest = Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>;

/** Appends the messages a chunk completes; may throw on malformed bytes after appending some. */
interface Framer<Message> {
  pushInto(chunk: Uint8Array, messages: Message[]): void;
  endInto(messages: Message[]): void;
}

const FRAMERS: { [F in StreamFraming]: () => Framer<FramedMessages[F]> } = {
  sse: () => new SseParser(),
  ndjson: () => new NdjsonParser(),
  'aws-event-stream': () => new EventStreamParser(),
};

class StreamReader<Message> implements AsyncIterableIterator<StreamEvent> {
  private readonly queue: StreamEvent[] = [];
  private readonly chunks: AsyncIterator<Uint8Array>;
  /** No read follows: the body ended, failed or was given up. */
  private finished = false;

  constructor(
    private readonly response: HttpResponse,
    private readonly request: StreamRequest,
    private readonly framer: Framer<Message>,
    private readonly decoder: StreamDecoder<Message>,
    private readonly vendor: string,
  ) {
    // The body is destroyed here, not by the iterator, so that a complete answer can be drained.
    this.chunks = response.body.iterator({ destroyOnReturn: false });
    decoder.begin?.(this.queue);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const event = this.queue.shift();
      if (event) return { done: false, value: event };
      if (this.finished) return { done: true, value: undefined };
      if (this.decoder.state === 'complete') {
        this.finished = true;
        await this.drain();
      } else {
        await this.read();
      }
    }
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    this.queue.length = 0;
    if (!this.finished) {
      this.finished = true;
      if (this.decoder.state === 'complete') void this.drain();
      else abandonBody(this.response);
    }
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
        this.queue.length = 0;
        this.close();
        throw mapped;
      }
      this.fail(mapped);
      return;
    }
    try {
      this.decodeChunk(chunk);
    } catch (error) {
      this.fail(this.malformed(error));
      return;
    }
    if (this.decoder.state === 'failed') this.close();
  }

  private decodeChunk(chunk: IteratorResult<Uint8Array>): void {
    const messages: Message[] = [];
    let framingError: Error | undefined;
    try {
      if (chunk.done) this.framer.endInto(messages);
      else this.framer.pushInto(chunk.value, messages);
    } catch (error) {
      // the messages before the malformed bytes still count
      framingError = error instanceof Error ? error : new Error(String(error));
    }
    for (const message of messages) {
      this.decoder.decode(message, this.queue);
      if (this.decoder.state !== 'reading') return;
    }
    if (framingError !== undefined) throw framingError;
    if (chunk.done) {
      this.finished = true;
      this.decoder.end(this.queue);
    }
  }

  private malformed(error: unknown): UpstreamError {
    if (error instanceof UpstreamError) return error;
    return new UpstreamError({
      kind: 'protocol',
      message: `${this.vendor} stream: ${error instanceof Error ? error.message : String(error)}`,
      provider: this.request.provider,
      cause: error,
    });
  }

  /** Reads the rest (usually just the end of the chunked body) so the connection can go back to the pool. */
  private async drain(): Promise<void> {
    try {
      for (let chunk = await this.chunks.next(); !chunk.done; chunk = await this.chunks.next());
    } catch {
      // the connection is dropped instead of reused; the answer was already complete
    }
  }

  private fail(error: UpstreamError): void {
    this.queue.push({ type: 'error', error });
    this.close();
  }

  private close(): void {
    this.finished = true;
    abandonBody(this.response);
  }
}

/**
 * A vendor's `read<Vendor>Stream`: the events of an accepted (2xx) stream response. Network
 * failures become error events; a caller abort rejects; stopping early closes the connection.
 */
export function streamReader<F extends StreamFraming, Context extends StreamRequest>(
  formatOf: (context: Context) => StreamFormat<F>,
): (response: HttpResponse, context: Context) => AsyncIterable<StreamEvent> {
  return (response, context) => readStream(response, context, formatOf(context));
}

/** The events of an accepted (2xx) stream body. Stopping early closes the upstream connection. */
export function readStream<F extends StreamFraming>(
  response: HttpResponse,
  request: StreamRequest,
  format: StreamFormat<F>,
): AsyncIterableIterator<StreamEvent> {
  return new StreamReader<FramedMessages[F]>(
    response,
    request,
    FRAMERS[format.framing](),
    format.decode(response),
    format.vendor,
  );
}
