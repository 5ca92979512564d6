// The seed's debug output: one line per attempt, fallback and finished request on stderr, under
// the seed's `cloud-inference:` namespace, while a debug switch is on (env.ts, debugEnabled).
import type { GatewayEventMap, GatewayEvents } from '@switchyard/core';
import { debugEnabled, type Environment } from './env.ts';

export type DebugWriter = (line: string) => void;

function writeToStderr(line: string): void {
  console.error(line);
}

function describeAttempt(event: GatewayEventMap['attempt']): string {
  const fields = [
    `provider=${event.provider}`,
    `model=${event.model || '(loaded)'}`,
    `attempt=${event.attempt}`,
    `outcome=${event.outcome}`,
    ...(event.kind ? [`kind=${event.kind}`] : []),
    ...(event.status !== undefined ? [`status=${event.status}`] : []),
    `latency=${event.latencyMs}ms`,
    ...(event.retryInMs !== undefined ? [`retryIn=${event.retryInMs}ms`] : []),
  ];
  return `cloud-inference:attempt ${event.requestId} ${fields.join(' ')}`;
}

function describeFallback(event: GatewayEventMap['fallback']): string {
  return `cloud-inference:fallback ${event.requestId} from=${event.from} to=${event.to} reason=${event.reason}`;
}

function describeRequest(event: GatewayEventMap['request']): string {
  const fields = [
    `status=${event.status}`,
    ...(event.provider ? [`provider=${event.provider}`] : []),
    `attempts=${event.attempts}`,
    `latency=${event.latencyMs}ms`,
    ...(event.errorKind ? [`error=${event.errorKind}`] : []),
  ];
  return `cloud-inference:request ${event.requestId} ${fields.join(' ')}`;
}

/**
 * Writes the debug lines while a switch is on. The switch is read at each event, so
 * `process.env.REACT_APP_DEBUG = 'true'` after start-up turns the output on from then on.
 */
export function attachDebugLog(
  events: GatewayEvents,
  env: Environment,
  write: DebugWriter = writeToStderr,
): () => void {
  const when =
    <E>(describe: (event: E) => string) =>
    (event: E) => {
      if (debugEnabled(env)) write(describe(event));
    };
  const detach = [
    events.on('attempt', when(describeAttempt)),
    events.on('fallback', when(describeFallback)),
    events.on('request', when(describeRequest)),
  ];
  return () => detach.forEach((off) => off());
}
