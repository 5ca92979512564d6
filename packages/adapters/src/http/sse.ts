// Server-sent events parsing (WHATWG rules): events end at a blank line, `\n`, `\r\n` and `\r`
// line ends, `:` comments ignored, several `data:` lines joined with `\n`. Chunk boundaries never
// split an event.

export interface SseMessage {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/**
 * A push parser: feed it bytes as they arrive, take the complete events out. Synchronous, so a
 * stream reader can turn one network read into many events without an async step per event.
 */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private event: string | undefined;
  private id: string | undefined;
  private data: string[] = [];

  /** Adds bytes; returns the events they complete (often several, often none). */
  push(chunk: Uint8Array | string): SseMessage[] {
    const messages: SseMessage[] = [];
    this.pushInto(chunk, messages);
    return messages;
  }

  /** Like `push`, appending to the caller's array. */
  pushInto(chunk: Uint8Array | string, messages: SseMessage[]): void {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    this.flushLines(false, messages);
  }

  /** Ends the stream: a last event without its closing blank line is still delivered. */
  end(): SseMessage[] {
    const messages: SseMessage[] = [];
    this.endInto(messages);
    return messages;
  }

  /** Like `end`, appending to the caller's array. */
  endInto(messages: SseMessage[]): void {
    this.buffer += this.decoder.decode();
    this.flushLines(true, messages);
    if (this.buffer.length > 0) {
      this.buffer += '\n';
      this.flushLines(true, messages);
    }
    if (this.data.length > 0)
      messages.push({ event: this.event, data: this.data.join('\n'), id: this.id });
    this.data = [];
  }

  private flushLines(final: boolean, messages: SseMessage[]): void {
    const buffer = this.buffer;
    let start = 0;
    // Most servers end lines with \n only: then a native indexOf finds each line.
    const plainNewlines = buffer.indexOf('\r') === -1;
    for (;;) {
      let end = -1;
      let next = -1;
      if (plainNewlines) {
        end = buffer.indexOf('\n', start);
        next = end + 1;
      } else {
        for (let index = start; index < buffer.length; index++) {
          const char = buffer.charCodeAt(index);
          if (char === 10) {
            end = index;
            next = index + 1;
            break;
          }
          if (char === 13) {
            // a lone \r at the end of the buffer may be the first half of \r\n
            if (index + 1 === buffer.length && !final) break;
            end = index;
            next = buffer.charCodeAt(index + 1) === 10 ? index + 2 : index + 1;
            break;
          }
        }
      }
      if (end === -1) break;
      const line = buffer.slice(start, end);
      start = next;
      if (line.length === 0) {
        if (this.data.length > 0)
          messages.push({
            event: this.event,
            data: this.data.length === 1 ? (this.data[0] ?? '') : this.data.join('\n'),
            id: this.id,
          });
        this.event = undefined;
        this.data = [];
        continue;
      }
      if (line.charCodeAt(0) === 58) continue; // ':' comment / keep-alive
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id') this.id = value;
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
  }
}

/** Yields each complete event of a byte stream. Events without `data` are skipped. */
export async function* parseSse(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseMessage> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}
