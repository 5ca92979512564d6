'use client';
import { useId } from 'react';
import {
  extentOf,
  isolatedPoints,
  linearScale,
  linePath,
  niceTicks,
  type Point,
} from './chart-scale.ts';

export interface ChartSeries {
  name: string;
  points: ReadonlyArray<Point>;
  /** A CSS colour; defaults to the palette. */
  color?: string;
}

export interface TimeSeriesChartProps {
  title: string;
  series: ReadonlyArray<ChartSeries>;
  formatValue?: (value: number) => string;
  height?: number;
  emptyText?: string;
}

const PALETTE = [
  'var(--sy-chart-1)',
  'var(--sy-chart-2)',
  'var(--sy-chart-3)',
  'var(--sy-chart-4)',
];
const WIDTH = 600;
const MARGIN = { top: 10, right: 12, bottom: 22, left: 52 };

function formatClock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** A line chart over time in plain SVG: scales with its container, no chart library. */
export function TimeSeriesChart({
  title,
  series,
  formatValue = String,
  height = 180,
  emptyText,
}: TimeSeriesChartProps) {
  const titleId = useId();
  const xs = extentOf(series.flatMap((line) => line.points.map((point) => point.x)));
  const ys = extentOf(
    series.flatMap((line) => line.points.flatMap((point) => (point.y === null ? [] : [point.y]))),
  );
  const latest = series.map((line) => {
    const last = [...line.points].reverse().find((point) => point.y !== null);
    return { name: line.name, value: last?.y ?? null };
  });
  return (
    <figure className="sy-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="sy-chart__title">
        {title}
        <span className="sy-chart__latest">
          {latest.map((entry, index) => (
            <span key={entry.name} className="sy-chart__legend">
              <span
                className="sy-chart__swatch"
                style={{ background: series[index]?.color ?? PALETTE[index % PALETTE.length] }}
              />
              {entry.name}: {entry.value === null ? '—' : formatValue(entry.value)}
            </span>
          ))}
        </span>
      </figcaption>
      {!xs || !ys ? (
        <p className="sy-empty sy-chart__empty" style={{ minHeight: height / 2 }}>
          {emptyText ?? 'No data in this period yet.'}
        </p>
      ) : (
        <ChartBody
          series={series}
          xs={xs}
          yMax={ys.max}
          height={height}
          formatValue={formatValue}
        />
      )}
    </figure>
  );
}

function ChartBody({
  series,
  xs,
  yMax,
  height,
  formatValue,
}: {
  series: ReadonlyArray<ChartSeries>;
  xs: { min: number; max: number };
  yMax: number;
  height: number;
  formatValue: (value: number) => string;
}) {
  const ticks = niceTicks(yMax);
  const top = ticks.at(-1) ?? 1;
  const x = linearScale(xs, { min: MARGIN.left, max: WIDTH - MARGIN.right });
  const y = linearScale({ min: 0, max: top }, { min: height - MARGIN.bottom, max: MARGIN.top });
  const xTicks = xs.max === xs.min ? [xs.min] : [xs.min, (xs.min + xs.max) / 2, xs.max];
  return (
    <svg
      className="sy-chart__svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-hidden="true"
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line
            className="sy-chart__grid"
            x1={MARGIN.left}
            x2={WIDTH - MARGIN.right}
            y1={y(tick)}
            y2={y(tick)}
          />
          <text className="sy-chart__axis" x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {xTicks.map((tick, index) => (
        <text
          key={tick}
          className="sy-chart__axis"
          x={x(tick)}
          y={height - 6}
          textAnchor={
            xTicks.length === 1
              ? 'middle'
              : index === 0
                ? 'start'
                : index === xTicks.length - 1
                  ? 'end'
                  : 'middle'
          }
        >
          {formatClock(tick)}
        </text>
      ))}
      {series.map((line, index) =>
        isolatedPoints(line.points).map((point) => (
          <circle
            key={`${line.name}-${point.x}`}
            className="sy-chart__point"
            cx={x(point.x)}
            cy={y(point.y ?? 0)}
            r={3}
            fill={line.color ?? PALETTE[index % PALETTE.length]}
          />
        )),
      )}
      {series.map((line, index) => (
        <path
          key={line.name}
          className="sy-chart__line"
          d={linePath(line.points, x, y)}
          stroke={line.color ?? PALETTE[index % PALETTE.length]}
          fill="none"
          vectorEffect="non-scaling-stroke"
        />
      ))}
    </svg>
  );
}
