import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../spec/errors.ts';
import { hashApiKey } from './api-key.ts';
import { KeyRing, type ActiveKey } from './key-ring.ts';

const clock = { now: () => Date.UTC(2026, 10, 26), sleep: () => Promise.resolve() };
const key = (overrides: Partial<ActiveKey> = {}): ActiveKey => ({
  id: 'k1',
  name: 'app',
  hash: hashApiKey('sk-sy-first'),
  allowedRoutes: [],
  ...overrides,
});

function status(run: () => unknown): number | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as GatewayError).status;
  }
}

describe('KeyRing', () => {
  it('is open with no keys, and authenticates by hash once keys exist', () => {
    const ring = new KeyRing(clock);
    expect(ring.open).toBe(true);
    expect(ring.authenticate(undefined)).toBeUndefined();
    ring.setKeys([key()]);
    expect(ring.authenticate('Bearer sk-sy-first')?.id).toBe('k1');
    expect(status(() => ring.authenticate('Bearer sk-sy-other'))).toBe(401);
    expect(status(() => ring.authenticate(undefined))).toBe(401);
  });

  it('refuses a key as soon as a refresh revokes it, even one it has just seen', () => {
    const ring = new KeyRing(clock);
    ring.setKeys([key()]);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe('ok');
    ring.setKeys([key({ revoked: true }), key({ id: 'k2', hash: hashApiKey('sk-sy-second') })]);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe(401);
    expect(status(() => ring.authenticate('Bearer sk-sy-second'))).toBe('ok');
  });

  it('stays closed when every issued key is revoked', () => {
    const ring = new KeyRing(clock);
    ring.setKeys([], { configured: true });
    expect(ring.open).toBe(false);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe(401);
  });

  it('refuses an expired key', () => {
    const ring = new KeyRing(clock);
    ring.setKeys([key({ expiresAt: new Date(clock.now() - 1) })]);
    expect(status(() => ring.authenticate('Bearer sk-sy-first'))).toBe(401);
  });
});
