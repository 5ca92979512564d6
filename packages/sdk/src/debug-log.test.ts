import { afterEach, describe, expect, it } from 'vitest';
import { GatewayEvents } from '@switchyard/core';
import { attachDebugLog } from './debug-log.ts';
import { debugEnabled } from './env.ts';

const attempt = {
  requestId: 'r1',
  provider: 'openai',
  model: 'gpt-4o-mini',
  attempt: 1,
  outcome: 'error' as const,
  kind: 'server',
  status: 500,
  latencyMs: 12,
  retryInMs: 100,
};

afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('the debug switches', () => {
  it.each([
    [{ DEBUG: 'cloud-inference:*' }, true],
    [{ DEBUG: 'other,switchyard:*' }, true],
    [{ DEBUG: '*' }, true],
    [{ REACT_APP_DEBUG: 'true' }, true],
    [{ DEBUG: 'express:*' }, false],
    [{ REACT_APP_DEBUG: 'false' }, false],
    [{}, false],
  ])('%j → %s', (env, expected) => {
    expect(debugEnabled(env)).toBe(expected);
  });

  it("reads a browser's localStorage.debug where there is one", () => {
    const items = new Map([['debug', 'cloud-inference:*']]);
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (key: string) => items.get(key) ?? null,
    };
    expect(debugEnabled({})).toBe(true);
  });
});

describe('attachDebugLog', () => {
  it('writes one line per attempt while a switch is on, read at each event', () => {
    const events = new GatewayEvents();
    const env: Record<string, string> = {};
    const lines: string[] = [];
    attachDebugLog(events, env, (line) => lines.push(line));
    events.emit('attempt', attempt);
    expect(lines).toEqual([]);
    env.REACT_APP_DEBUG = 'true';
    events.emit('attempt', attempt);
    events.emit('fallback', { requestId: 'r1', from: 'openai', to: 'azure', reason: 'server' });
    expect(lines).toEqual([
      'cloud-inference:attempt r1 provider=openai model=gpt-4o-mini attempt=1 outcome=error kind=server status=500 latency=12ms retryIn=100ms',
      'cloud-inference:fallback r1 from=openai to=azure reason=server',
    ]);
  });

  it('stops writing once detached', () => {
    const events = new GatewayEvents();
    const lines: string[] = [];
    const detach = attachDebugLog(events, { DEBUG: 'cloud-inference:*' }, (line) =>
      lines.push(line),
    );
    detach();
    events.emit('attempt', attempt);
    expect(lines).toEqual([]);
  });
});
