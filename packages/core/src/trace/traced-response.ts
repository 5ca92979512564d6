// The end of a traced request: at once for a body, when its last event went out for a stream.
import type { GatewayHttpResponse } from '../http/http-route.ts';
import { GatewayError } from '../spec/errors.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { RequestTrace } from './request-tracer.ts';

/** Ends `trace` with the response (a stream: once it ended) and hands the response on. */
export function endTraceWith(
  trace: RequestTrace,
  response: GatewayHttpResponse,
  failure: unknown,
): GatewayHttpResponse {
  const cache = response.headers['x-switchyard-cache'];
  if (response.kind === 'body') {
    const errorType = failure === undefined ? undefined : GatewayError.from(failure).code;
    trace.end({ status: response.status, cache, errorType });
    return response;
  }
  const events = endingWith(response.events, (errorType) =>
    trace.end({ status: response.status, cache, errorType }),
  );
  return Object.assign({}, response, { events });
}

/** The events, calling `end` once when they run out, fail or are abandoned. */
function endingWith(
  events: AsyncIterable<StreamEvent>,
  end: (errorType: string | undefined) => void,
): AsyncIterable<StreamEvent> {
  return {
    [Symbol.asyncIterator]: () => {
      const inner = events[Symbol.asyncIterator]();
      let errorType: string | undefined;
      let ended = false;
      const finish = () => {
        if (ended) return;
        ended = true;
        end(errorType);
      };
      return {
        next: async () => {
          try {
            const next = await inner.next();
            if (next.done) finish();
            else if (next.value.type === 'error') errorType = next.value.error.kind;
            return next;
          } catch (error) {
            errorType = GatewayError.from(error).code;
            finish();
            throw error;
          }
        },
        return: async () => {
          try {
            return (await inner.return?.()) ?? { done: true, value: undefined };
          } finally {
            finish();
          }
        },
      };
    },
  };
}
