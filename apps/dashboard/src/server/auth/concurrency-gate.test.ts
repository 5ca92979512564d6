import { describe, expect, it } from 'vitest';
import { ConcurrencyGate, GateFullError } from './concurrency-gate.ts';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ConcurrencyGate', () => {
  it('runs at most `running` items at once, queues `waiting` more and refuses the rest', async () => {
    const gate = new ConcurrencyGate({ running: 2, waiting: 1 });
    const release = deferred();
    let active = 0;
    let peak = 0;
    const work = async () => {
      active += 1;
      peak = Math.max(peak, active);
      await release.promise;
      active -= 1;
      return 'done';
    };
    const runs = [gate.run(work), gate.run(work), gate.run(work)];
    await expect(gate.run(work)).rejects.toBeInstanceOf(GateFullError);
    release.resolve();
    await expect(Promise.all(runs)).resolves.toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
    await expect(gate.run(() => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('frees the slot when the work fails', async () => {
    const gate = new ConcurrencyGate({ running: 1, waiting: 0 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
