// Who may read /metrics and /health/providers when the gateway reads its configuration from the
// database (no config file to say it): SWITCHYARD_MONITORING_TOKEN, a scraper's bearer token, and
// SWITCHYARD_MONITORING_PUBLIC=true for a trusted scrape network.
import type { GatewayConfig } from '@switchyard/core';
import type { Environment } from './state/state-store-env.ts';

export const MONITORING_TOKEN_MIN_LENGTH = 16;

/** The monitoring settings the environment gives; throws naming the variable when one is wrong. */
export function monitoringFromEnvironment(environment: Environment): GatewayConfig['monitoring'] {
  const token = environment.SWITCHYARD_MONITORING_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < MONITORING_TOKEN_MIN_LENGTH)
    throw new Error(
      `SWITCHYARD_MONITORING_TOKEN must be at least ${MONITORING_TOKEN_MIN_LENGTH} characters`,
    );
  const open = environment.SWITCHYARD_MONITORING_PUBLIC?.trim().toLowerCase() || 'false';
  if (!['true', 'false', '1', '0'].includes(open))
    throw new Error('SWITCHYARD_MONITORING_PUBLIC must be true or false');
  return { public: open === 'true' || open === '1', ...(token ? { token } : {}) };
}
