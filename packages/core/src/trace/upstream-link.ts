// How an attempt's trace reaches the one HTTP path to vendors without every adapter passing it
// along: the router links it to the attempt's own abort signal (a new one per attempt, handed to
// the adapter and by the adapter to the HTTP client), and the HTTP client looks it up there.
import type { AttemptTrace } from './request-tracer.ts';

const linked = new WeakMap<AbortSignal, AttemptTrace>();
/** No lookup at all until some attempt was traced. */
let anyLinked = false;

export function linkAttemptTrace(signal: AbortSignal, attempt: AttemptTrace): void {
  anyLinked = true;
  linked.set(signal, attempt);
}

/**
 * The trace headers for an upstream request made with `signal` to `url`; undefined when the
 * request is not part of a traced attempt (tracing off, health probes, model listings).
 */
export function upstreamTraceHeaders(
  signal: AbortSignal,
  url: string,
): Record<string, string> | undefined {
  if (!anyLinked) return undefined;
  return linked.get(signal)?.upstreamHeaders(url);
}
