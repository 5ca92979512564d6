import { describe, expect, it } from 'vitest';
import {
  extentOf,
  isolatedPoints,
  linearScale,
  linePath,
  nearestIndex,
  niceTicks,
  timeTicks,
} from './chart-scale.ts';

describe('chart geometry', () => {
  it('puts axis ticks on round numbers that cover the maximum', () => {
    expect(niceTicks(87)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('breaks the line where data is missing', () => {
    const x = linearScale({ min: 0, max: 10 }, { min: 0, max: 100 });
    const y = linearScale({ min: 0, max: 1 }, { min: 100, max: 0 });
    const path = linePath(
      [
        { x: 0, y: 0 },
        { x: 5, y: 1 },
        { x: 6, y: null },
        { x: 10, y: 0.5 },
      ],
      x,
      y,
    );
    expect(path).toBe('M0.0,100.0L50.0,0.0M100.0,50.0');
  });

  it('finds the points a line cannot show', () => {
    const points = [
      { x: 0, y: null },
      { x: 1, y: 5 },
      { x: 2, y: null },
      { x: 3, y: 1 },
      { x: 4, y: 2 },
    ];
    expect(isolatedPoints(points)).toEqual([{ x: 1, y: 5 }]);
  });

  it('ignores non-finite values in extents', () => {
    expect(extentOf([3, Number.NaN, -1, 7])).toEqual({ min: -1, max: 7 });
    expect(extentOf([])).toBeUndefined();
  });
});

describe('time axis', () => {
  const minute = 60_000;
  it('puts ticks on round clock times inside the range', () => {
    const start = Date.UTC(2026, 0, 1, 10, 3);
    expect(timeTicks({ min: start, max: start + 60 * minute }, 6)).toEqual(
      [10, 20, 30, 40, 50, 60].map((offset) => Date.UTC(2026, 0, 1, 10, offset)),
    );
    expect(timeTicks({ min: start, max: start + 60 * minute }, 3)).toEqual([
      Date.UTC(2026, 0, 1, 10, 30),
      Date.UTC(2026, 0, 1, 11, 0),
    ]);
  });

  it('puts hour ticks on local hours', () => {
    const start = Date.UTC(2026, 0, 1, 0, 10);
    // Five and a half hours east of UTC: local hours fall at :30 UTC.
    expect(timeTicks({ min: start, max: start + 2 * 60 * minute }, 2, 330)).toEqual([
      Date.UTC(2026, 0, 1, 0, 30),
      Date.UTC(2026, 0, 1, 1, 30),
    ]);
  });

  it('finds the nearest point for the tooltip', () => {
    expect(nearestIndex([0, 10, 20, 30], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20, 30], 16)).toBe(2);
    expect(nearestIndex([0, 10, 20, 30], -5)).toBe(0);
    expect(nearestIndex([0, 10, 20, 30], 99)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
