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

/** Yields each frame of an event-stream body; throws EventStreamFormatError on malformed bytes. */
export async function* decodeEventStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<EventStreamFrame> {
  let buffer: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    buffer = buffer.length === 0 ? bytes : Buffer.concat([buffer, bytes]);
    while (buffer.length >= 4) {
      const total = buffer.readUInt32BE(0);
      if (total < FRAME_OVERHEAD || total > MAX_FRAME_BYTES)
        throw new EventStreamFormatError(`implausible event-stream frame length ${total}`);
      if (buffer.length < total) break;
      const frame = buffer.subarray(0, total);
      buffer = buffer.subarray(total);
      yield decodeFrame(frame);
    }
  }
  if (buffer.length > 0)
    throw new EventStreamFormatError(
      `event stream ended inside a frame (${buffer.length} bytes left)`,
    );
}
