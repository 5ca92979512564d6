import { GatewayEvents } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { RecentAttemptErrors } from './attempt-errors.ts';

describe('RecentAttemptErrors', () => {
  it('keeps the latest failed attempt per provider and model, ignoring skips and successes', () => {
    const events = new GatewayEvents();
    const errors = new RecentAttemptErrors();
    const stop = errors.follow(events);
    const outcome = { requestId: 'r1', status: 200, stream: false, attempts: 3, latencyMs: 5 };
    events.emit('request', {
      ...outcome,
      startedAt: 1_000,
      attemptTrail: [
        {
          provider: 'a',
          model: 'm1',
          outcome: 'error',
          kind: 'server',
          status: 500,
          message: 'HTTP 500',
          latencyMs: 1,
        },
        { provider: 'a', model: 'm2', outcome: 'skipped', kind: 'circuit_open', latencyMs: 0 },
        { provider: 'b', model: 'm1', outcome: 'success', latencyMs: 2 },
      ],
    });
    events.emit('request', {
      ...outcome,
      startedAt: 2_000,
      attemptTrail: [
        { provider: 'a', model: 'm1', outcome: 'error', kind: 'timeout', latencyMs: 1 },
      ],
    });
    expect(errors.forModel('a', 'm1')).toEqual({
      message: 'timeout',
      kind: 'timeout',
      status: null,
      at: 2_000,
    });
    expect(errors.forProvider('a')?.at).toBe(2_000);
    expect(errors.forModel('a', 'm2')).toBeUndefined();
    expect(errors.forProvider('b')).toBeUndefined();
    expect(errors.modelsOf('a')).toEqual(['m1']);
    stop();
    events.emit('request', {
      ...outcome,
      startedAt: 3_000,
      attemptTrail: [{ provider: 'c', model: 'm1', outcome: 'error', latencyMs: 1 }],
    });
    expect(errors.forProvider('c')).toBeUndefined();
  });
});
