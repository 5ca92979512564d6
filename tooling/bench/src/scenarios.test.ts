import { describe, expect, it } from 'vitest';
import {
  estimatedRunSeconds,
  fleetFrames,
  parseScenarios,
  roundOrder,
  SCENARIOS,
  settingsFor,
} from './scenarios.ts';
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

  // Seven default targets (the translated-vendor pair among them) through nine scenarios.
  it('keeps the measuring of the default targets within 15 minutes, a quick run within 2', () => {
    expect(estimatedRunSeconds(settingsFor('full'), DEFAULT_TARGET_IDS.length)).toBeLessThan(
      15 * 60,
    );
    expect(estimatedRunSeconds(settingsFor('quick'), DEFAULT_TARGET_IDS.length)).toBeLessThan(
      2 * 60,
    );
  });
});

describe('choosing scenarios', () => {
  it('runs every scenario unless told otherwise, a subset in the suite order', () => {
    expect(parseScenarios(undefined)).toEqual(SCENARIOS);
    expect(parseScenarios('streams-2000,sequential').map((scenario) => scenario.id)).toEqual([
      'sequential',
      'streams-2000',
    ]);
    expect(() => parseScenarios('sequential,stream')).toThrow(/unknown scenario\(s\): stream/);
  });

  it('asks each of the 2,000 streams for one frame per 50 ms of the scenario', () => {
    expect(fleetFrames(settingsFor('full'))).toBe(60);
    expect(fleetFrames(settingsFor('quick'))).toBe(20);
  });
});
