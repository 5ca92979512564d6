import { describe, expect, it } from 'vitest';
import { roundOrder, SCENARIOS, settingsFor, estimatedRunSeconds } from './scenarios.ts';
import { DEFAULT_TARGET_IDS } from './targets.ts';

describe('roundOrder', () => {
  it('rotates the targets each round so each runs first once in a while (A B C, B C A, C A B)', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(roundOrder(['a', 'b', 'c'], 2)).toEqual(['c', 'a', 'b']);
    expect(roundOrder(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
  });
});

describe('settings', () => {
  it('runs at least three rounds in a full run and one in a quick run', () => {
    expect(settingsFor('full').rounds).toBeGreaterThanOrEqual(3);
    expect(settingsFor('quick').rounds).toBe(1);
    expect(settingsFor('full', 5).rounds).toBe(5);
  });

  it('gives every scenario a duration wrk can take (whole seconds for closed-loop ones)', () => {
    for (const mode of ['full', 'quick'] as const) {
      const settings = settingsFor(mode);
      for (const scenario of SCENARIOS) {
        const duration = settings.durationMs[scenario.id];
        expect(duration).toBeGreaterThan(0);
        if (scenario.kind === 'closed-loop') expect(duration % 1000).toBe(0);
      }
    }
  });

  it('keeps the measuring of the default targets within the 10-minute budget, with room for start-up', () => {
    expect(estimatedRunSeconds(settingsFor('full'), DEFAULT_TARGET_IDS.length)).toBeLessThan(
      8 * 60,
    );
    expect(estimatedRunSeconds(settingsFor('quick'), DEFAULT_TARGET_IDS.length)).toBeLessThan(
      2 * 60,
    );
  });
});
