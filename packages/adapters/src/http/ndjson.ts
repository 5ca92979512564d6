// Newline-delimited JSON framing: one payload per non-empty line, chunk boundaries never split one.

/** A push parser like SseParser: feed it bytes as they arrive, take the complete lines out. */
export class NdjsonParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  push(chunk: Uint8Array | string): string[] {
    const lines: string[] = [];
    this.pushInto(chunk, lines);
    return lines;
  }

  /** Like `push`, appending to the caller's array. */
  pushInto(chunk: Uint8Array | string, lines: string[]): void {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let newline = this.buffer.indexOf('\n');
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line.length > 0) lines.push(line);
      newline = this.buffer.indexOf('\n');
    }
  }

  /** Ends the stream: a last line without its newline is still delivered. */
  end(): string[] {
    const lines: string[] = [];
    this.endInto(lines);
    return lines;
  }

  /** Like `end`, appending to the caller's array. */
  endInto(lines: string[]): void {
    const rest = (this.buffer + this.decoder.decode()).trim();
    this.buffer = '';
    if (rest.length > 0) lines.push(rest);
  }
}

/** Yields each non-empty line of a newline-delimited JSON stream. */
export async function* parseLines(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const parser = new NdjsonParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}
