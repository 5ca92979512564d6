// The one place the runtime reads the process environment.
import type { Environment } from './state/state-store-env.ts';

export function processEnvironment(): Environment {
  return process.env;
}
