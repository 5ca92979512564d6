// The per-provider health view the dashboard and /health/providers read: disabled providers,
// Retry-After cool-downs and circuit state.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';
import { Gateway } from './gateway.ts';

const request: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(adapters: Record<string, ScriptedAdapter>, disabled: string[] = []): Gateway {
  const registry = scriptedRegistry(adapters);
  const config = parseConfig(
    {
      providers: Object.keys(adapters).map((id, index) => ({
        id,
        name: id,
        type: 'openai-compatible',
        endpoint: `http://127.0.0.1:${9200 + index}`,
        priority: index,
        enabled: !disabled.includes(id),
      })),
      routes: [{ name: 'chat', targets: Object.keys(adapters).map((provider) => ({ provider })) }],
      retryAttempts: 0,
      enableHealthMonitoring: false,
    },
    registry,
  );
  gateway = new Gateway({ config, adapters: registry, monitorHealth: false });
  return gateway;
}

function viewOf(subject: Gateway, providerId: string) {
  return subject.providerHealth().find((view) => view.providerId === providerId);
}

describe('provider health view', () => {
  it('never reports a disabled provider healthy', () => {
    const subject = setup({ a: new ScriptedAdapter('a'), b: new ScriptedAdapter('b') }, ['b']);
    expect(viewOf(subject, 'a')).toMatchObject({ enabled: true, isHealthy: true });
    expect(viewOf(subject, 'b')).toMatchObject({
      enabled: false,
      isHealthy: false,
      error: 'disabled',
    });
  });

  it('shows the cool-down a Retry-After started, until it ends', async () => {
    const limited = new ScriptedAdapter('a', [
      { fail: { kind: 'rate_limited', status: 429, retryAfterMs: 60_000 } },
    ]);
    const subject = setup({ a: limited, b: new ScriptedAdapter('b') });
    expect(viewOf(subject, 'a')?.coolDownUntil).toBeUndefined();
    const before = Date.now();
    const answer = await subject.complete(request);
    await answer.done;
    expect(answer.provider).toBe('b');
    const until = viewOf(subject, 'a')?.coolDownUntil;
    expect(until).toBeGreaterThanOrEqual(before + 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(viewOf(subject, 'b')?.coolDownUntil).toBeUndefined();
  });
});
