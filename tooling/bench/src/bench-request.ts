// One benchmark request as every driver sends it (wrk, the closed-loop and open-loop drivers),
// and how a driver tells a good answer from a failed one.

export interface BenchRequest {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** A streamed answer must end with `data: [DONE]` (or `streamEnd`). */
  stream: boolean;
  /** How a streamed answer ends when it is not OpenAI's `data: [DONE]` (Anthropic: message_stop). */
  streamEnd?: string;
}

export const STREAM_END = 'data: [DONE]';

/** Keeps the last bytes of a body so a driver can check how a stream ended without buffering it. */
export function appendTail(tail: string, chunk: Buffer, keep = 64): string {
  const text =
    chunk.length > keep ? chunk.toString('latin1', chunk.length - keep) : chunk.toString('latin1');
  const joined = tail + text;
  return joined.length > keep ? joined.slice(joined.length - keep) : joined;
}

/** Why an answer counts as an error, or undefined when it is a good one. */
export function answerProblem(
  request: BenchRequest,
  status: number,
  bodyBytes: number,
  tail: string,
): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (bodyBytes === 0) return 'empty body';
  const end = request.streamEnd ?? STREAM_END;
  if (request.stream && !tail.trimEnd().endsWith(end))
    return `stream ended without ${request.streamEnd ?? '[DONE]'}`;
  return undefined;
}

/** Counts of each distinct error message, for the report. */
export class ErrorTally {
  readonly counts = new Map<string, number>();
  total = 0;

  add(message: string): void {
    this.total++;
    const key = message.length > 160 ? `${message.slice(0, 157)}...` : message;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
