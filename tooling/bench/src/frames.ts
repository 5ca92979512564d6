// Numbered stream frames for the 2,000-stream scenario. The tick upstream writes frame k of a
// stream as the text `<#k@t>`, t being the µs of the machine's monotonic clock when it wrote the
// frame (`process.hrtime`, the same clock in every process on the machine); the client finds the
// markers in whatever the target forwards (OpenAI chunks, or Anthropic events translated to them)
// and checks that every frame arrived, once, in order, and how long after it was written.

/** The text of frame `index` written at `writtenAtUs`. */
export function frameMarker(index: number, writtenAtUs: number): string {
  return `<#${index}@${writtenAtUs}>`;
}

const MARKER = /<#(\d+)@(\d+)>/g;

/** This machine's monotonic clock in µs, comparable across its processes. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Splits a stream's bytes into lines (a frame may be cut across TCP chunks) and reports every
 * frame marker of every complete line.
 */
export class FrameReader {
  private pending = '';

  constructor(private readonly onFrame: (index: number, writtenAtUs: number) => void) {}

  push(text: string): void {
    const joined = this.pending + text;
    const end = joined.lastIndexOf('\n');
    if (end === -1) {
      this.pending = joined;
      return;
    }
    this.pending = joined.slice(end + 1);
    this.scan(joined.slice(0, end));
  }

  /** The last line, when the stream ended without a newline. */
  flush(): void {
    this.scan(this.pending);
    this.pending = '';
  }

  private scan(text: string): void {
    for (const match of text.matchAll(MARKER)) this.onFrame(Number(match[1]), Number(match[2]));
  }
}

export interface FrameTally {
  /** Frames the upstream was asked for that never arrived. */
  lost: number;
  /** Frames that arrived after a frame numbered higher. */
  reordered: number;
  /** Frames that arrived more than once. */
  duplicated: number;
  received: number;
}

/** Checks one stream's frames: `expected` of them, numbered 0 … expected − 1. */
export class FrameOrderChecker {
  private readonly seen: Uint8Array;
  private highest = -1;
  private reordered = 0;
  private duplicated = 0;
  private received = 0;
  private outOfRange = 0;

  constructor(private readonly expected: number) {
    this.seen = new Uint8Array(expected);
  }

  add(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.expected) {
      this.outOfRange++;
      return;
    }
    if (this.seen[index]) {
      this.duplicated++;
      return;
    }
    this.seen[index] = 1;
    this.received++;
    if (index < this.highest) this.reordered++;
    else this.highest = index;
  }

  tally(): FrameTally {
    return {
      lost: this.expected - this.received,
      reordered: this.reordered,
      // A frame numbered beyond what was asked for is not one of this stream's: count it as a duplicate.
      duplicated: this.duplicated + this.outOfRange,
      received: this.received,
    };
  }
}
