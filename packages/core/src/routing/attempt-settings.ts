// Retry and timeout settings of a route: the route's own values, else the gateway's.
import type { GatewayConfig, RouteConfig } from '../config/config-schema.ts';
import type { Target } from './routing-table.ts';

export interface AttemptSettings {
  retryAttempts: number;
  retryDelay: number;
  timeout: (target: Target) => number;
  requestTimeout: number;
  firstTokenTimeout: number | undefined;
  /** The longest silence allowed between two stream events once streaming. */
  streamIdleTimeout: (target: Target) => number;
  /** A stream broken after its first token may be continued elsewhere. */
  continuation: boolean;
}

/** Long enough for a model thinking between tokens, short enough to notice a dead stream. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;

export function attemptSettings(
  config: GatewayConfig,
  route: RouteConfig | undefined,
): AttemptSettings {
  return {
    retryAttempts: route?.retryAttempts ?? config.retryAttempts,
    retryDelay: route?.retryDelay ?? config.retryDelay,
    timeout: (target) => route?.timeout ?? target.provider.timeout ?? config.timeout,
    requestTimeout: route?.requestTimeout ?? config.requestTimeout,
    firstTokenTimeout: route?.firstTokenTimeout ?? config.firstTokenTimeout,
    streamIdleTimeout: (target) =>
      route?.streamIdleTimeout ??
      target.provider.streamIdleTimeout ??
      config.streamIdleTimeout ??
      DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    continuation: route?.continuation ?? config.continuation ?? true,
  };
}
