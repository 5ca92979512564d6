import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { UpstreamError } from '../spec/errors.ts';
import { GatewayEvents } from '../metrics/gateway-events.ts';
import { skipOf } from './candidates.ts';
import { RouteRecorder } from './route-recorder.ts';
import { RoutingTable, type Target } from './routing-table.ts';

const routing = new RoutingTable(
  parseConfig(
    {
      providers: ['a', 'b'].map((id, index) => ({
        id,
        name: id.toUpperCase(),
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9000 + index}`,
        models: [{ name: 'm' }],
      })),
      routes: [{ name: 'chat', targets: [{ provider: 'a' }, { provider: 'b' }] }],
    },
    scriptedRegistry({}),
  ),
);
const [a, b] = routing.routeTargets(routing.routes.get('chat')!) as [Target, Target];

function setup() {
  const events = new GatewayEvents();
  const seen: string[] = [];
  events.on(
    'fallback',
    (event) => void seen.push(`fallback ${event.from}->${event.to} ${event.reason}`),
  );
  events.on(
    'attempt',
    (event) => void seen.push(`attempt ${event.attempt} ${event.provider} ${event.outcome}`),
  );
  const plan = { name: 'chat', route: undefined, strategy: 'priority' as const, targets: [a, b] };
  return { recorder: new RouteRecorder({ plan, attempts: [] }, 'req-1', { events }), seen };
}

const serverError = new UpstreamError({
  kind: 'server',
  status: 500,
  message: 'boom',
  provider: 'a',
});

describe('RouteRecorder', () => {
  it('records each attempt and emits a fallback only when moving to another target', () => {
    const { recorder, seen } = setup();
    recorder.moving(a);
    recorder.attempting(a);
    recorder.failed(a, serverError, 12, { action: 'failover' });
    recorder.moving(b);
    recorder.attempting(b);
    recorder.succeeded(b, 30);
    expect(seen).toEqual(['attempt 1 a error', 'fallback a->b server', 'attempt 2 b success']);
    expect(recorder.trace.attempts.map((record) => `${record.provider}:${record.outcome}`)).toEqual(
      ['a:error', 'b:success'],
    );
  });

  it('answers 503 with the soonest retry hint when every target was only skipped', () => {
    const { recorder } = setup();
    recorder.skipped(skipOf(a, 'circuit_open', 'circuit open', 4000));
    recorder.skipped(skipOf(b, 'limit', 'limit reached', 1500));
    const error = recorder.exhausted(false, 5000);
    expect(error).toMatchObject({ status: 503, code: 'no_healthy_providers', retryAfterMs: 1500 });
    expect(error.message).toContain('a: circuit open; b: limit reached');
  });

  it('answers 502 after failures, or 504 once the deadline has passed', () => {
    const { recorder } = setup();
    recorder.failed(a, serverError, 12, { action: 'failover' });
    expect(recorder.exhausted(false, 5000)).toMatchObject({ status: 502, code: 'upstream_failed' });
    expect(recorder.exhausted(true, 5000)).toMatchObject({
      status: 504,
      code: 'deadline_exceeded',
    });
  });

  it('builds the client-closed error with the trail so far', () => {
    const { recorder } = setup();
    recorder.failed(a, serverError, 12, { action: 'retry', delayMs: 100 });
    const error = recorder.clientGone(new Error('aborted'));
    expect(error).toMatchObject({ status: 499, code: 'client_closed_request' });
    expect(error.attempts).toHaveLength(1);
  });

  it('answers the client’s own error as 400 with the policy’s code', () => {
    const { recorder } = setup();
    const tooLong = new UpstreamError({
      kind: 'context_length',
      message: 'too long',
      provider: 'a',
    });
    const error = recorder.clientError(tooLong);
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    expect(error.message).toBe(
      'The request was rejected: a found the input longer than the model’s context window (context_length)',
    );
  });
});
