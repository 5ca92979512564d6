// Open-loop load: request k leaves at t0 + k/rate whatever the answers, and its latency is
// measured from that scheduled time, so a server that falls behind shows its queueing
// (no coordinated omission). A closed-loop tool would wait for answers and hide it.
import { getPriority, setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { answerProblem, appendTail, ErrorTally, type BenchRequest } from './bench-request.ts';
import { summarizeLatencies, type LatencySummary } from './stats.ts';

export interface OpenLoopOptions {
  request: BenchRequest;
  ratePerSecond: number;
  durationMs: number;
  /** Upper bound of concurrent connections (default 256); more requests wait in the pool's queue. */
  connections?: number;
  /** How long answers may still arrive after the last request was sent (default 5000 ms). */
  drainMs?: number;
  /** Below this many ms to the next send the loop polls instead of sleeping (default 1). */
  spinMs?: number;
  /**
   * Scheduling priority (nice value) of the generator while it runs, e.g. -10, so that other
   * processes on a busy machine do not delay its sends; ignored where it may not be raised.
   */
  priority?: number;
}

/** Sets this thread's nice value and returns a function that restores it (a no-op without the right). */
function withPriority(priority: number | undefined): () => void {
  if (priority === undefined) return () => undefined;
  try {
    const previous = getPriority(0);
    setPriority(0, priority);
    return () => setPriority(0, previous);
  } catch {
    return () => undefined;
  }
}

export interface OpenLoopResult {
  offeredRate: number;
  planned: number;
  completed: number;
  errors: number;
  errorMessages: Record<string, number>;
  /** Requests still unanswered when the drain time ran out. */
  unfinished: number;
  /** Answers (good or not) per second from t0 to the last answer. */
  achievedRate: number;
  /** The generator could not keep the offered rate, or the answers fell behind it. */
  saturated: boolean;
  /** Scheduled time to the whole answer. */
  latencyUs: LatencySummary;
  /** Scheduled time to the first body bytes. */
  firstByteUs: LatencySummary;
  /** How late the generator itself sent (a check on the generator, not on the server). */
  sendLatenessUs: LatencySummary;
}

/** Milliseconds after t0 at which request `index` is due. */
export function scheduleOffsetMs(index: number, ratePerSecond: number): number {
  return (index * 1000) / ratePerSecond;
}

export function plannedRequests(ratePerSecond: number, durationMs: number): number {
  return Math.max(1, Math.floor((ratePerSecond * durationMs) / 1000));
}

/** How many requests are due `elapsedMs` after t0 (request 0 is due at t0). */
export function dueCount(elapsedMs: number, ratePerSecond: number, planned: number): number {
  if (elapsedMs < 0) return 0;
  // The epsilon keeps a request due exactly now from being lost to floating-point rounding.
  return Math.min(planned, Math.floor((elapsedMs * ratePerSecond) / 1000 + 1e-9) + 1);
}

/** A rate is held when (almost) every request was answered at (about) the pace it was offered. */
export function isSaturated(result: {
  planned: number;
  completed: number;
  errors: number;
  unfinished: number;
  achievedRate: number;
  offeredRate: number;
}): boolean {
  const answered = result.completed + result.errors;
  return (
    result.unfinished > 0 ||
    answered < result.planned * 0.99 ||
    result.achievedRate < result.offeredRate * 0.95
  );
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { request, ratePerSecond } = options;
  const planned = plannedRequests(ratePerSecond, options.durationMs);
  const spinMs = options.spinMs ?? 1;
  const pool = new Pool(request.origin, {
    connections: options.connections ?? 256,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const latencies = new Float64Array(planned);
  const firstBytes = new Float64Array(planned);
  const lateness = new Float64Array(planned);
  const tally = new ErrorTally();
  let completed = 0;
  let inFlight = 0;
  let lastAnswer = 0;
  let stopped = false;
  let onIdle: (() => void) | undefined;
  const restorePriority = withPriority(options.priority);
  const t0 = performance.now() + 5;

  const send = (index: number) => {
    const scheduled = t0 + scheduleOffsetMs(index, ratePerSecond);
    lateness[index] = (performance.now() - scheduled) * 1000;
    inFlight++;
    const finish = (problem: string | undefined, firstByte: number) => {
      inFlight--;
      if (stopped) return;
      const now = performance.now();
      lastAnswer = now;
      if (problem !== undefined) tally.add(problem);
      else {
        latencies[completed] = (now - scheduled) * 1000;
        firstBytes[completed] = (firstByte - scheduled) * 1000;
        completed++;
      }
      if (inFlight === 0) onIdle?.();
    };
    pool
      .request({ path: request.path, method: 'POST', headers: request.headers, body: request.body })
      .then(async ({ statusCode, body }) => {
        let firstByte = 0;
        let bytes = 0;
        let tail = '';
        for await (const chunk of body as AsyncIterable<Buffer>) {
          if (bytes === 0) firstByte = performance.now();
          bytes += chunk.length;
          tail = appendTail(tail, chunk);
        }
        finish(answerProblem(request, statusCode, bytes, tail), firstByte);
      })
      .catch((error: unknown) => finish(error instanceof Error ? error.message : String(error), 0));
  };

  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const due = dueCount(performance.now() - t0, ratePerSecond, planned);
      while (next < due) send(next++);
      if (next >= planned) return resolve();
      const wait = t0 + scheduleOffsetMs(next, ratePerSecond) - performance.now();
      // Timers have ~1 ms granularity: sleep until just before the next send, then poll.
      if (wait > spinMs + 1) setTimeout(tick, Math.floor(wait - spinMs));
      else setImmediate(tick);
    };
    setTimeout(tick, 0);
  });

  if (inFlight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.drainMs ?? 5000);
      onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const unfinished = inFlight;
  stopped = true;
  restorePriority();
  await pool.destroy();

  const latencyUs = summarizeLatencies(latencies.subarray(0, completed));
  // A server that keeps up answers the last request one ordinary latency after it was due;
  // one that queues answers it later by the time its backlog took.
  const span = Math.max(
    options.durationMs,
    lastAnswer - t0 - (Number.isFinite(latencyUs.p50) ? latencyUs.p50 / 1000 : 0),
  );
  const achievedRate = ((completed + tally.total) * 1000) / span;
  const summary = {
    planned,
    completed,
    errors: tally.total,
    unfinished,
    achievedRate,
    offeredRate: ratePerSecond,
  };
  return {
    ...summary,
    errorMessages: tally.toJSON(),
    saturated: isSaturated(summary),
    latencyUs,
    firstByteUs: summarizeLatencies(firstBytes.subarray(0, completed)),
    sendLatenessUs: summarizeLatencies(lateness),
  };
}
