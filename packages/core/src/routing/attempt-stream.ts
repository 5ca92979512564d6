// Stream attempts: pull events until the first output token (or the end) so that everything
// before it can still fail over; after that, hand the rest to the client as it comes.
import { isOutputEvent, type StreamEvent } from '../spec/stream-events.ts';
import { UpstreamError } from '../spec/errors.ts';
import type { Clock } from '../util/clock.ts';
import { raceDeadline, TIMED_OUT } from '../util/deadline.ts';

export interface StartedStream {
  /** Events read while waiting for the first token, to be sent first. */
  buffered: StreamEvent[];
  iterator: AsyncIterator<StreamEvent>;
  /** True when the upstream ended before producing any output. */
  ended: boolean;
}

/**
 * Reads from `iterator` until an output event arrives, the stream ends, an error event arrives
 * (thrown, so the router treats it as a failed attempt), or `firstTokenDeadline` passes (thrown
 * as a timeout after `onTimeout` aborts the upstream call).
 */
export async function awaitFirstToken(
  iterator: AsyncIterator<StreamEvent>,
  firstTokenDeadline: number,
  clock: Clock,
  onTimeout: (error: UpstreamError) => void,
  provider: string,
): Promise<StartedStream> {
  const buffered: StreamEvent[] = [];
  const timeoutError = () => firstTokenTimeoutError(provider);
  for (;;) {
    const remaining = firstTokenDeadline - clock.now();
    if (remaining <= 0) {
      const error = timeoutError();
      onTimeout(error);
      await closeQuietly(iterator);
      throw error;
    }
    let timedOut: UpstreamError | undefined;
    const next = await raceDeadline(iterator.next(), remaining, () => {
      timedOut = timeoutError();
      onTimeout(timedOut);
    });
    if (next === TIMED_OUT) {
      await closeQuietly(iterator);
      throw timedOut ?? timeoutError();
    }
    if (next.done) return { buffered, iterator, ended: true };
    const event = next.value;
    if (event.type === 'error') {
      await closeQuietly(iterator);
      throw event.error;
    }
    buffered.push(event);
    if (isOutputEvent(event)) return { buffered, iterator, ended: false };
  }
}

export function firstTokenTimeoutError(provider: string): UpstreamError {
  return new UpstreamError({
    kind: 'timeout',
    message: `no first token within the first-token deadline`,
    provider,
    code: 'first_token_timeout',
  });
}

export async function closeQuietly(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // the upstream is being torn down; nothing more to report
  }
}
