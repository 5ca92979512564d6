// One attempt at one target: the call, bounded by its deadline and linked to the client's
// signal, settled as an outcome value. Recording and deciding what next happen elsewhere.
import { UpstreamError } from '../spec/errors.ts';
import type { ProviderAdapter } from '../spec/provider-adapter.ts';
import { linkAttemptTrace } from '../trace/upstream-link.ts';
import type { AttemptTrace } from '../trace/request-tracer.ts';
import type { Clock } from '../util/clock.ts';
import { raceDeadline, TIMED_OUT } from '../util/deadline.ts';
import type { AttemptFunction } from './route-types.ts';
import type { Target } from './routing-table.ts';
import { toUpstreamError } from './to-upstream-error.ts';

export type AttemptOutcome<T> =
  | { type: 'success'; value: T; latencyMs: number }
  | { type: 'failure'; error: UpstreamError; latencyMs: number }
  /** The client went away: nothing is charged to the provider. */
  | { type: 'client-gone'; cause: unknown };

export interface AttemptInput<T> {
  adapter: ProviderAdapter;
  target: Target;
  call: AttemptFunction<T>;
  /** The client's signal. */
  signal: AbortSignal | undefined;
  startedAt: number;
  deadline: number;
  clock: Clock;
  /** The attempt's span, when traced: the upstream call carries its trace headers. */
  trace?: AttemptTrace | undefined;
}

export async function runAttempt<T>(input: AttemptInput<T>): Promise<AttemptOutcome<T>> {
  const { signal, startedAt, deadline, clock, target } = input;
  const controller = new AbortController();
  if (input.trace) linkAttemptTrace(controller.signal, input.trace);
  const onClientAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onClientAbort, { once: true });
  try {
    if (signal?.aborted) throw signal.reason;
    const call = input.call(
      input.adapter,
      target,
      { signal: controller.signal, deadline },
      (reason) => controller.abort(reason),
    );
    const ms = deadline - startedAt;
    let timeout: UpstreamError | undefined;
    const value = await raceDeadline(call, ms, () => {
      timeout = attemptTimeoutError(ms, target.provider.id);
      controller.abort(timeout);
    });
    if (value === TIMED_OUT) throw timeout ?? attemptTimeoutError(ms, target.provider.id);
    return { type: 'success', value, latencyMs: clock.now() - startedAt };
  } catch (error) {
    if (signal?.aborted) return { type: 'client-gone', cause: error };
    const failure = toUpstreamError(error, target.provider.id, deadline, clock.now());
    return { type: 'failure', error: failure, latencyMs: clock.now() - startedAt };
  } finally {
    signal?.removeEventListener('abort', onClientAbort);
  }
}

/** Built only when the deadline passes: most attempts never need it. */
function attemptTimeoutError(ms: number, provider: string): UpstreamError {
  return new UpstreamError({ kind: 'timeout', message: `no answer within ${ms} ms`, provider });
}
