// What a caller tells the gateway about one request, beyond the request body: the router's own
// options (all optional here), plus the key the request was admitted with.
import { randomUUID } from 'node:crypto';
import type { ClientDialect } from '../metrics/gateway-events.ts';
import type { RequestStart } from '../metrics/request-reporter.ts';
import type { RouteOptions } from '../routing/router.ts';
import type { Clock } from '../util/clock.ts';

export type RequestContext = Partial<RouteOptions> & {
  /** The API key's id, for limits, spend and logs. */
  keyId?: string;
  /** The key's body-logging choice, which wins over the route's and the global one. */
  logBodies?: boolean;
  /** The wire format the client spoke, for request logs (chat when not said). */
  dialect?: ClientDialect;
};

/** The request's id and arrival time (made up when the caller gave none). */
export function requestStart(
  context: RequestContext,
  stream: boolean,
  clock: Clock,
  dialect: ClientDialect = 'chat',
): RequestStart {
  return {
    requestId: context.requestId ?? randomUUID(),
    startedAt: context.startedAt ?? clock.now(),
    stream,
    dialect: context.dialect ?? dialect,
    ...(context.keyId ? { keyId: context.keyId } : {}),
    trace: context.trace,
  };
}
