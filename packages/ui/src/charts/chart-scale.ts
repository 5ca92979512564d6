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
