import { describe, expect, it } from 'vitest';
import { extentOf, isolatedPoints, linearScale, linePath, niceTicks } from './chart-scale.ts';

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
