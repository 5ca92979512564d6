// The tracing the OTEL_* variables ask for. The OpenTelemetry SDK is loaded only then: a gateway
// that does not trace never pays for it, not even at start-up.
import type { Environment } from '../state/state-store-env.ts';
import type { Tracing } from './open-tracing.ts';
import { tracingFromEnvironment } from './tracing-env.ts';

export type { Tracing } from './open-tracing.ts';

/** Undefined when tracing is off; the start-up log says where traces go. */
export async function startTracing(
  environment: Environment,
  log: (message: string) => void,
): Promise<Tracing | undefined> {
  const settings = tracingFromEnvironment(environment);
  if (!settings) return undefined;
  const { openTracing } = await import('./open-tracing.ts');
  log(`traces: OTLP ${settings.protocol} to ${settings.url} as ${settings.serviceName}`);
  return openTracing(settings);
}
