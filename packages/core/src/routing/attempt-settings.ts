// Retry and timeout settings of a route: the route's own values, else the gateway's.
import type { GatewayConfig, RouteConfig } from '../config/config-schema.ts';
import type { Target } from './routing-table.ts';

export interface AttemptSettings {
  retryAttempts: number;
  retryDelay: number;
  timeout: (target: Target) => number;
  requestTimeout: number;
  firstTokenTimeout: number | undefined;
}

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
  };
}
