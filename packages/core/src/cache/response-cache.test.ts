import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../spec/chat-response.ts';
import { makeUsage } from '../spec/chat-response.ts';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import { brokenStore, collectUnhandledRejections } from '../state/test-support/broken-store.ts';
import { manualClock } from '../state/test-support/manual-clock.ts';
import { isCacheableResponse, ResponseCache } from './response-cache.ts';

function response(content: string): ChatResponse {
  return {
    id: `chatcmpl-${content}`,
    created: 1,
    model: 'gpt-4o',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content },
        finishReason: { unified: 'stop', raw: 'stop' },
      },
    ],
    usage: makeUsage(5, 1),
    provider: 'openai',
  };
}

describe('ResponseCache', () => {
  it('returns a stored response until its ttl ends', () => {
    const clock = manualClock();
    const cache = new ResponseCache({ maxEntries: 10, clock });
    cache.set('k', response('4'), 1_000);
    expect(cache.get('k')).toEqual(response('4'));
    expect(cache.get('other')).toBeUndefined();
    clock.advance(999);
    expect(cache.get('k')?.choices[0]?.message.content).toBe('4');
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new ResponseCache({ maxEntries: 2, clock: manualClock() });
    cache.set('a', response('a'), 60_000);
    cache.set('b', response('b'), 60_000);
    cache.get('a');
    cache.set('c', response('c'), 60_000);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('hands out copies, so a caller changing a response does not change the cache', () => {
    const cache = new ResponseCache({ maxEntries: 2, clock: manualClock() });
    const original = response('x');
    cache.set('k', original, 60_000);
    original.choices[0]!.message.content = 'changed';
    cache.get('k')!.choices[0]!.message.content = 'changed too';
    expect(cache.get('k')?.choices[0]?.message.content).toBe('x');
  });

  it('does not store with a zero ttl or zero capacity', () => {
    const clock = manualClock();
    const cache = new ResponseCache({ maxEntries: 2, clock });
    cache.set('k', response('x'), 0);
    expect(cache.get('k')).toBeUndefined();
    const disabled = new ResponseCache({ maxEntries: 0, clock });
    disabled.set('k', response('x'), 1_000);
    expect(disabled.get('k')).toBeUndefined();
  });

  it('shares entries with other instances through the store', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    const first = new ResponseCache({ maxEntries: 10, clock, store });
    const second = new ResponseCache({ maxEntries: 10, clock, store });
    first.set('k', response('shared'), 1_000);
    expect(second.get('k')?.choices[0]?.message.content).toBe('shared');

    const late = new ResponseCache({ maxEntries: 10, clock, store });
    expect(late.get('k')).toBeUndefined();
    expect((await late.lookup('k'))?.choices[0]?.message.content).toBe('shared');
    expect(late.get('k')).toBeDefined();
    clock.advance(1_000);
    expect(await late.lookup('k')).toBeUndefined();
  });

  it('only calls normally finished responses cacheable', () => {
    expect(isCacheableResponse(response('ok'))).toBe(true);
    const cut = response('half');
    cut.choices[0]!.finishReason = { unified: 'error', raw: null };
    expect(isCacheableResponse(cut)).toBe(false);
    const refused = response('');
    refused.choices[0]!.message.refusal = 'I cannot help with that.';
    expect(isCacheableResponse(refused)).toBe(false);
  });

  it('keeps caching locally when the store fails', async () => {
    const unhandled = await collectUnhandledRejections(async () => {
      const cache = new ResponseCache({
        maxEntries: 10,
        clock: manualClock(),
        store: brokenStore(),
      });
      cache.set('k', response('local'), 1_000);
      expect(cache.get('k')?.choices[0]?.message.content).toBe('local');
      expect(await cache.lookup('missing')).toBeUndefined();
    });
    expect(unhandled).toEqual([]);
  });
});
