import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, summarizeLatencies } from './stats.ts';

describe('percentile', () => {
  const sorted = Array.from({ length: 100 }, (_, index) => index + 1);

  it('uses the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 is 100', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
  });

  it('never interpolates between samples: p99 of ten samples is the largest', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 99)).toBe(1000);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 50)).toBe(5);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('sorts unsorted samples before taking percentiles', () => {
    const summary = summarizeLatencies([900, 100, 500, 300, 700]);
    expect(summary).toEqual({ count: 5, p50: 500, p90: 900, p99: 900, max: 900, mean: 500 });
  });

  it('reports an empty run as NaN figures with a zero count', () => {
    const summary = summarizeLatencies(new Float64Array(0));
    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
  });
});

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores rounds that measured nothing', () => {
    expect(median([Number.NaN, 10, 30])).toBe(20);
    expect(median([Number.NaN])).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides, and is NaN when the reference is missing or zero', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeNaN();
    expect(ratio(Number.NaN, 4)).toBeNaN();
  });
});
