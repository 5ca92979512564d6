// Closed-loop maximum throughput without wrk: `connections` workers, each sending its next
// request as soon as the last answer ended. It runs in Node, so it spends more CPU per request
// than wrk and caps lower on a small machine; the results file says which driver was used.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { answerProblem, appendTail, ErrorTally, type BenchRequest } from './bench-request.ts';

export interface ThroughputResult {
  driver: 'wrk' | 'undici-closed-loop';
  requestsPerSecond: number;
  completed: number;
  errors: number;
  errorMessages: Record<string, number>;
  durationMs: number;
  /** Closed-loop latency (µs); with a fixed connection count it mostly mirrors throughput. */
  latencyUs?: { p50: number; p90: number; p99: number };
}

export async function runClosedLoop(
  request: BenchRequest,
  options: { connections: number; durationMs: number },
): Promise<ThroughputResult> {
  const pool = new Pool(request.origin, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const tally = new ErrorTally();
  let completed = 0;
  const started = performance.now();
  const endAt = started + options.durationMs;

  const worker = async () => {
    while (performance.now() < endAt) {
      try {
        const { statusCode, body } = await pool.request({
          path: request.path,
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        let bytes = 0;
        let tail = '';
        for await (const chunk of body as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          tail = appendTail(tail, chunk);
        }
        const problem = answerProblem(request, statusCode, bytes, tail);
        if (problem === undefined) completed++;
        else tally.add(problem);
      } catch (error) {
        tally.add(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsed = performance.now() - started;
  await pool.close();
  return {
    driver: 'undici-closed-loop',
    requestsPerSecond: (completed * 1000) / elapsed,
    completed,
    errors: tally.total,
    errorMessages: tally.toJSON(),
    durationMs: elapsed,
  };
}
