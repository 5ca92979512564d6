import { describe, expect, it, vi } from 'vitest';
import { GatewayEvents } from './gateway-events.ts';

const fallback = { requestId: 'r1', from: 'openai', to: 'anthropic', reason: 'server' };

describe('GatewayEvents', () => {
  it('delivers typed events to listeners until they unsubscribe', () => {
    const events = new GatewayEvents();
    const seen: string[] = [];
    const off = events.on('fallback', (event) => seen.push(`${event.from}->${event.to}`));
    expect(events.has('fallback')).toBe(true);
    events.emit('fallback', fallback);
    off();
    events.emit('fallback', fallback);
    expect(seen).toEqual(['openai->anthropic']);
    expect(events.has('fallback')).toBe(false);
  });

  it('keeps calling other listeners when one throws or rejects', async () => {
    const errors: string[] = [];
    const events = new GatewayEvents({
      onListenerError: (error, name) => errors.push(`${name}: ${(error as Error).message}`),
    });
    const later = vi.fn();
    events.on('fallback', () => {
      throw new Error('sync bug');
    });
    events.on('fallback', async () => {
      await Promise.resolve();
      throw new Error('async bug');
    });
    events.on('fallback', later);
    expect(() => events.emit('fallback', fallback)).not.toThrow();
    expect(later).toHaveBeenCalledWith(fallback);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual(['fallback: sync bug', 'fallback: async bug']);
  });

  it('survives an error reporter that throws', () => {
    const events = new GatewayEvents({
      onListenerError: () => {
        throw new Error('reporter bug');
      },
    });
    events.on('fallback', () => {
      throw new Error('listener bug');
    });
    expect(() => events.emit('fallback', fallback)).not.toThrow();
  });
});
