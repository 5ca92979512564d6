// The AWS binary event stream (`application/vnd.amazon.eventstream`): frames are cut out of the
// byte stream by the total length in their prelude (a frame may straddle network chunks, a chunk
// may hold several frames) and decoded, CRCs checked, by @smithy's EventStreamCodec.
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** Prelude (total length, headers length, prelude CRC) plus the trailing message CRC. */
const FRAME_OVERHEAD = 16;
/** Far above any Converse event; a larger length means the bytes are not an event stream. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Bytes that are not a well-formed event stream (bad length, bad CRC, truncated frame). */
export class EventStreamFormatError extends Error {
  override readonly name = 'EventStreamFormatError';
}

export interface EventStreamFrame {
  /** The string-valued headers (`:message-type`, `:event-type`, `:exception-type`, …). */
  headers: Record<string, string>;
  body: Uint8Array;
}

function decodeFrame(bytes: Uint8Array): EventStreamFrame {
  let message: Message;
  try {
    message = codec.decode(bytes);
  } catch (error) {
    throw new EventStreamFormatError(`malformed event-stream frame: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(message.headers)) {
    if (header.type === 'string') headers[name] = header.value;
  }
  return { headers, body: message.body };
}

/**
 * A push parser like SseParser: feed it bytes as they arrive, take the complete frames out.
 * Throws EventStreamFormatError on malformed bytes; `pushInto` keeps the frames before them.
 */
export class EventStreamParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): EventStreamFrame[] {
    const frames: EventStreamFrame[] = [];
    this.pushInto(chunk, frames);
    return frames;
  }

  /** Like `push`, appending to the caller's array. */
  pushInto(chunk: Uint8Array, frames: EventStreamFrame[]): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    while (this.buffer.length >= 4) {
      const total = this.buffer.readUInt32BE(0);
      if (total < FRAME_OVERHEAD || total > MAX_FRAME_BYTES)
        throw new EventStreamFormatError(`implausible event-stream frame length ${total}`);
      if (this.buffer.length < total) break;
      frames.push(decodeFrame(this.buffer.subarray(0, total)));
      this.buffer = this.buffer.subarray(total);
    }
  }

  /** Ends the stream: bytes left over are a truncated frame. */
  endInto(): void {
    if (this.buffer.length > 0)
      throw new EventStreamFormatError(
        `event stream ended inside a frame (${this.buffer.length} bytes left)`,
      );
  }
}

/** Yields each frame of an event-stream body; throws EventStreamFormatError on malformed bytes. */
export async function* decodeEventStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<EventStreamFrame> {
  const parser = new EventStreamParser();
  for await (const chunk of body) yield* parser.push(chunk);
  parser.endInto();
}
