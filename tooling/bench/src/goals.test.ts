import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkTargets, GOALS, verdict } from './goals.ts';
import type { TargetRatios, TargetSummary } from './results.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the goals', () => {
  it('are the ones the README lists, word for word', () => {
    const rows = readme
      .slice(
        readme.indexOf('<!-- bench:goals:start -->'),
        readme.indexOf('<!-- bench:goals:end -->'),
      )
      .split('\n')
      .filter((line) => line.startsWith('| ') && !/^\|\s*(goal\b|-)/.test(line))
      .map((line) => line.split('|')[1]!.trim());
    expect(rows).toEqual(GOALS.map((goal) => `${goal.target}: ${goal.goal}`));
  });

  it('judge pnpm start by its memory and by its CPU per request over the standalone gateway', () => {
    const next = { peakRssMiB: 420 } as TargetSummary;
    const checks = checkTargets(
      { 'switchyard-next': next },
      { 'switchyard-next': { cpuOverStandalone: 1.05 } as TargetRatios },
    );
    expect(checks.map((check) => [check.goal, check.measured, verdict(check)])).toEqual([
      ['pnpm start: peak RSS ≤ 350 MiB', '420.0 MiB', '**not met**'],
      ["pnpm start: CPU per request ≤ 1.1× the standalone gateway's", '1.05×', 'met'],
    ]);
  });

  it('count a duplicated frame against the 2,000 streams like a lost one', () => {
    const fleet = {
      rounds: 1,
      streams: 2000,
      framesPerStream: 60,
      lostFrames: 0,
      reorderedFrames: 0,
      duplicatedFrames: 1,
      errors: 0,
      unfinished: 0,
    };
    const goal = GOALS.find((entry) => entry.goal === '2,000 streams: no lost or reordered frame')!;
    expect(goal.evaluate({ streams2000: fleet } as TargetSummary, {} as TargetRatios)).toEqual({
      measured: '0 lost, 0 reordered, 1 duplicated of 120,000',
      pass: false,
    });
    const missing = goal.evaluate({ streams2000: null } as TargetSummary, {} as TargetRatios);
    expect(verdict(missing)).toBe('not measured');
  });
});
