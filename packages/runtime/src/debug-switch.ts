// The seed document's debug switches, shared by both servers: `DEBUG=cloud-inference:*` (the
// seed's namespace) or `DEBUG=switchyard:*`, and `REACT_APP_DEBUG=true`, turn on the per-attempt
// debug lines (attempts, fallbacks, finished requests).
import { pino, type Logger } from 'pino';

/** The variables the switches are read from. */
export interface SeedDebugEnvironment {
  DEBUG?: string | undefined;
  REACT_APP_DEBUG?: string | undefined;
}

const DEBUG_NAMESPACE = /^(switchyard|cloud-inference)(:\*|:.*)?$|^\*$/;

/** Whether the environment turns the debug lines on. */
export function debugSwitchOn(env: SeedDebugEnvironment): boolean {
  if (env.REACT_APP_DEBUG === 'true') return true;
  return (env.DEBUG ?? '').split(',').some((pattern) => DEBUG_NAMESPACE.test(pattern.trim()));
}

/**
 * A debug-level logger to stderr while a debug switch is on, for a server that keeps no log of
 * its own (the dashboard); undefined otherwise, so nothing is logged and nothing is paid.
 */
export function debugLoggerFor(
  env: SeedDebugEnvironment,
  destination: pino.DestinationStream = pino.destination(2),
): Logger | undefined {
  if (!debugSwitchOn(env)) return undefined;
  return pino({ name: 'switchyard', level: 'debug' }, destination);
}
