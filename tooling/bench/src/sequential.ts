// Concurrency 1: one request at a time on one kept-alive connection, the next sent as soon as the
// last answer ended, for a fixed time. Nothing queues anywhere, so the latency is the target's
// own cost per request (and per first byte of a stream) plus the upstream's.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { answerProblem, appendTail, ErrorTally, type BenchRequest } from './bench-request.ts';
import { summarizeLatencies, type LatencySummary } from './stats.ts';

export interface SequentialResult {
  completed: number;
  errors: number;
  errorMessages: Record<string, number>;
  /** Send to the end of the answer. */
  latencyUs: LatencySummary;
  /** Send to the first body bytes. */
  firstByteUs: LatencySummary;
}

export async function runSequential(
  request: BenchRequest,
  options: { durationMs: number },
): Promise<SequentialResult> {
  const pool = new Pool(request.origin, {
    connections: 1,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const latencies: number[] = [];
  const firstBytes: number[] = [];
  const tally = new ErrorTally();
  const endAt = performance.now() + options.durationMs;
  try {
    while (performance.now() < endAt) {
      const sent = performance.now();
      try {
        const { statusCode, body } = await pool.request({
          path: request.path,
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        let firstByte = 0;
        let bytes = 0;
        let tail = '';
        for await (const chunk of body as AsyncIterable<Buffer>) {
          if (bytes === 0) firstByte = performance.now();
          bytes += chunk.length;
          tail = appendTail(tail, chunk);
        }
        const done = performance.now();
        const problem = answerProblem(request, statusCode, bytes, tail);
        if (problem !== undefined) tally.add(problem);
        else {
          latencies.push((done - sent) * 1000);
          firstBytes.push((firstByte - sent) * 1000);
        }
      } catch (error) {
        tally.add(error instanceof Error ? error.message : String(error));
      }
    }
  } finally {
    await pool.close();
  }
  return {
    completed: latencies.length,
    errors: tally.total,
    errorMessages: tally.toJSON(),
    latencyUs: summarizeLatencies(latencies),
    firstByteUs: summarizeLatencies(firstBytes),
  };
}
