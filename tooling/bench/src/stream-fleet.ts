// Thousands of concurrent streams on one target: `streams` requests opened over `rampMs`, each
// asking the tick upstream for `frames` numbered frames 50 ms apart, all held open at once. Every
// frame is checked for order and counted, and its delivery delay taken: the µs it reached this
// process minus the µs the upstream wrote it, both on the machine's monotonic clock.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { answerProblem, appendTail, ErrorTally, type BenchRequest } from './bench-request.ts';
import { FrameOrderChecker, FrameReader, monotonicMicros } from './frames.ts';
import { summarizeLatencies, type LatencySummary } from './stats.ts';

export interface StreamFleetOptions {
  request: BenchRequest;
  streams: number;
  /** Frames per stream (the request's `max_tokens` must ask for as many). */
  frames: number;
  /** Stream k is opened at t0 + k · rampMs / streams. */
  rampMs: number;
  /** How long streams may still run after the last one should have ended. */
  drainMs: number;
  /**
   * Local addresses the client connects from, streams spread evenly over them: 2,000 streams
   * come from many clients, and a gateway may cap the connections of one address.
   */
  sourceAddresses?: readonly string[];
}

/** 127.0.0.2 … 127.0.0.(count + 1): loopback addresses Linux answers for without setup. */
export function loopbackSources(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `127.0.0.${index + 2}`);
}

export interface StreamFleetResult {
  streams: number;
  framesPerStream: number;
  /** Streams that ended correctly (HTTP 200, the end marker) with every frame in order. */
  clean: number;
  /** Failed requests: not HTTP 200, no end marker, a socket error. */
  errors: number;
  errorMessages: Record<string, number>;
  /** Streams still open when the drain time ran out (cancelled, counted as errors too). */
  unfinished: number;
  receivedFrames: number;
  lostFrames: number;
  reorderedFrames: number;
  duplicatedFrames: number;
  /** Arrival at the client minus the upstream's write time, per frame. */
  frameDelayUs: LatencySummary;
  /** Send to the first frame, per stream. */
  firstFrameUs: LatencySummary;
  durationMs: number;
}

export async function runStreamFleet(options: StreamFleetOptions): Promise<StreamFleetResult> {
  const { request, streams, frames } = options;
  const sources = options.sourceAddresses?.length ? options.sourceAddresses : [undefined];
  const pools = sources.map(
    (localAddress) =>
      new Pool(request.origin, {
        connections: Math.ceil(streams / sources.length),
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: options.rampMs + options.drainMs + frames * 50,
        bodyTimeout: 30_000,
        ...(localAddress ? { localAddress } : {}),
      }),
  );
  const delays = new Float64Array(streams * frames);
  let delayCount = 0;
  const firstFrames: number[] = [];
  const tally = new ErrorTally();
  const totals = { received: 0, lost: 0, reordered: 0, duplicated: 0, clean: 0 };
  const controllers = new Set<AbortController>();
  const started = performance.now();

  const open = async (index: number) => {
    const pool = pools[index % pools.length]!;
    const checker = new FrameOrderChecker(frames);
    const controller = new AbortController();
    controllers.add(controller);
    const sent = performance.now();
    let first = true;
    const reader = new FrameReader((index, writtenAtUs) => {
      const now = monotonicMicros();
      if (first) {
        firstFrames.push((performance.now() - sent) * 1000);
        first = false;
      }
      checker.add(index);
      if (delayCount < delays.length) delays[delayCount++] = now - writtenAtUs;
    });
    try {
      const { statusCode, body } = await pool.request({
        path: request.path,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      let bytes = 0;
      let tail = '';
      let head = '';
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        tail = appendTail(tail, chunk);
        const text = chunk.toString('utf8');
        if (statusCode !== 200 && head.length < 200) head += text;
        reader.push(text);
      }
      reader.flush();
      const problem = answerProblem(request, statusCode, bytes, tail);
      // What a refusal said (the gateway names its reason), kept short so the tally groups them.
      if (problem !== undefined)
        tally.add(statusCode === 200 ? problem : `${problem}: ${head.slice(0, 120)}`);
      const frameTally = checker.tally();
      if (
        problem === undefined &&
        frameTally.lost + frameTally.reordered + frameTally.duplicated === 0
      )
        totals.clean++;
    } catch (error) {
      tally.add(
        controller.signal.aborted
          ? 'still open when the drain time ran out'
          : error instanceof Error
            ? error.message
            : String(error),
      );
    } finally {
      controllers.delete(controller);
      const frameTally = checker.tally();
      totals.received += frameTally.received;
      totals.lost += frameTally.lost;
      totals.reordered += frameTally.reordered;
      totals.duplicated += frameTally.duplicated;
    }
  };

  const running: Array<Promise<void>> = [];
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const due = Math.min(
        streams,
        Math.floor(((performance.now() - started) * streams) / Math.max(1, options.rampMs)) + 1,
      );
      for (; next < due; next++) running.push(open(next));
      if (next >= streams) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  let unfinished = 0;
  const deadline = setTimeout(
    () => {
      unfinished = controllers.size;
      for (const controller of controllers) controller.abort();
    },
    frames * 50 + options.drainMs,
  );
  await Promise.all(running);
  clearTimeout(deadline);
  const durationMs = performance.now() - started;
  await Promise.all(pools.map((pool) => pool.destroy()));
  return {
    streams,
    framesPerStream: frames,
    clean: totals.clean,
    errors: tally.total,
    errorMessages: tally.toJSON(),
    unfinished,
    receivedFrames: totals.received,
    lostFrames: totals.lost,
    reorderedFrames: totals.reordered,
    duplicatedFrames: totals.duplicated,
    frameDelayUs: summarizeLatencies(delays.subarray(0, delayCount)),
    firstFrameUs: summarizeLatencies(firstFrames),
    durationMs,
  };
}
