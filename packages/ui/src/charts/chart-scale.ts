// Pure geometry for the SVG charts: scales, "nice" axis ticks and path strings.

export interface Point {
  x: number;
  y: number | null;
}

export interface Extent {
  min: number;
  max: number;
}

/** Axis ticks on round numbers covering [0, max]. */
export function niceTicks(max: number, count = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10]
      .map((factor) => factor * magnitude)
      .find((candidate) => candidate >= rough) ?? rough;
  const ticks: number[] = [];
  for (let value = 0; value < max + step / 2; value += step)
    ticks.push(Number(value.toPrecision(12)));
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

export function linearScale(domain: Extent, range: Extent): (value: number) => number {
  const span = domain.max - domain.min;
  return (value) =>
    span === 0
      ? (range.min + range.max) / 2
      : range.min + ((value - domain.min) / span) * (range.max - range.min);
}

/** An SVG path through the points; a null value breaks the line. */
export function linePath(
  points: ReadonlyArray<Point>,
  x: (value: number) => number,
  y: (value: number) => number,
): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (point.y === null || !Number.isFinite(point.y)) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`;
    drawing = true;
  }
  return path;
}

export function extentOf(values: Iterable<number>): Extent | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min === Infinity ? undefined : { min, max };
}

/** Points with no drawn neighbour: a line cannot show them, so the chart marks them with a dot. */
export function isolatedPoints(points: ReadonlyArray<Point>): Point[] {
  const present = (point: Point | undefined) =>
    point !== undefined && point.y !== null && Number.isFinite(point.y);
  return points.filter(
    (point, index) => present(point) && !present(points[index - 1]) && !present(points[index + 1]),
  );
}

const MINUTE = 60_000;
const TIME_STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
  2 * 60 * MINUTE,
  3 * 60 * MINUTE,
  6 * 60 * MINUTE,
  12 * 60 * MINUTE,
  24 * 60 * MINUTE,
];

/**
 * Time-axis ticks on round local clock times (every 5 min, every hour …) inside the extent, at
 * most `maxTicks` of them. `offsetMinutes` is the local zone's distance from UTC (east positive),
 * so hour ticks fall on local hours.
 */
export function timeTicks(extent: Extent, maxTicks: number, offsetMinutes = 0): number[] {
  const span = extent.max - extent.min;
  if (!(span > 0) || maxTicks < 1) return [extent.min];
  const step =
    TIME_STEPS.find((candidate) => span / candidate <= maxTicks) ?? TIME_STEPS.at(-1) ?? MINUTE;
  const offset = offsetMinutes * MINUTE;
  const ticks: number[] = [];
  for (
    let tick = Math.ceil((extent.min + offset) / step) * step - offset;
    tick <= extent.max;
    tick += step
  )
    ticks.push(tick);
  return ticks;
}

/** The index of the value nearest to `target` in an ascending list; -1 when it is empty. */
export function nearestIndex(sorted: ReadonlyArray<number>, target: number): number {
  if (sorted.length === 0) return -1;
  let low = 0;
  let high = sorted.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? 0) <= target) low = middle;
    else high = middle;
  }
  const below = sorted[low] ?? 0;
  const above = sorted[high] ?? 0;
  return Math.abs(target - below) <= Math.abs(above - target) ? low : high;
}
