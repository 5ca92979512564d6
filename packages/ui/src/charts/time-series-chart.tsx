'use client';
import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
} from 'react';
import {
  extentOf,
  isolatedPoints,
  linearScale,
  linePath,
  nearestIndex,
  niceTicks,
  timeTicks,
  type Extent,
  type Point,
} from './chart-scale.ts';

export interface ChartSeries {
  name: string;
  points: ReadonlyArray<Point>;
  /** A CSS colour; defaults to the palette. */
  color?: string;
  /**
   * The figure the legend shows beside the name, for the whole period (a total, an average …),
   * so it agrees with the summary tiles next to the chart. Without it the legend shows the name.
   */
  summary?: string;
}

export interface TimeSeriesChartProps {
  title: string;
  series: ReadonlyArray<ChartSeries>;
  formatValue?: (value: number) => string;
  /** How the tooltip names a point's time; defaults to the clock time. */
  formatTime?: (x: number) => string;
  /** The time range the axis spans; defaults to the data's. */
  domain?: Extent;
  height?: number;
  emptyText?: string;
}

const PALETTE = [
  'var(--sy-chart-1)',
  'var(--sy-chart-2)',
  'var(--sy-chart-3)',
  'var(--sy-chart-4)',
];
/** Used until the container has been measured (and when rendering on the server). */
const FALLBACK_WIDTH = 600;
const MARGIN = { top: 10, right: 14, bottom: 24 };
/** Roughly how wide one 12 px axis character is, to leave room for the y labels. */
const CHARACTER_PX = 7;
/** Room one time label needs, so narrow charts get fewer of them. */
const TIME_LABEL_PX = 64;

export function formatClock(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function colorOf(series: ReadonlyArray<ChartSeries>, index: number): string {
  return series[index]?.color ?? PALETTE[index % PALETTE.length] ?? 'currentColor';
}

/** The container's width in CSS pixels, followed as it changes. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = (measured: number) => {
      if (measured > 0) setWidth(Math.floor(measured));
    };
    measure(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) measure(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * A line chart over time in plain SVG, drawn at its container's real pixel width (so its labels
 * keep their size on any screen), with a tooltip on hover and on keyboard focus (arrow keys).
 */
export function TimeSeriesChart({
  title,
  series,
  formatValue = String,
  formatTime = formatClock,
  domain,
  height = 180,
  emptyText,
}: TimeSeriesChartProps) {
  const titleId = useId();
  const xs = extentOf(series.flatMap((line) => line.points.map((point) => point.x)));
  const ys = extentOf(
    series.flatMap((line) => line.points.flatMap((point) => (point.y === null ? [] : [point.y]))),
  );
  return (
    <figure className="sy-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="sy-chart__title">
        {title}
        <span className="sy-chart__latest">
          {series.map((line, index) => (
            <span key={line.name} className="sy-chart__legend">
              <span className="sy-chart__swatch" style={{ background: colorOf(series, index) }} />
              {line.summary === undefined ? line.name : `${line.name}: ${line.summary}`}
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
          title={title}
          series={series}
          xs={domain ?? xs}
          yMax={ys.max}
          height={height}
          formatValue={formatValue}
          formatTime={formatTime}
        />
      )}
    </figure>
  );
}

function ChartBody({
  title,
  series,
  xs,
  yMax,
  height,
  formatValue,
  formatTime,
}: {
  title: string;
  series: ReadonlyArray<ChartSeries>;
  xs: Extent;
  yMax: number;
  height: number;
  formatValue: (value: number) => string;
  formatTime: (x: number) => string;
}) {
  const [ref, width] = useWidth();
  const [active, setActive] = useState<number | null>(null);
  const ticks = niceTicks(yMax);
  const top = ticks.at(-1) ?? 1;
  const left = Math.max(...ticks.map((tick) => formatValue(tick).length)) * CHARACTER_PX + 12;
  const x = linearScale(xs, { min: left, max: width - MARGIN.right });
  const y = linearScale({ min: 0, max: top }, { min: height - MARGIN.bottom, max: MARGIN.top });
  const plotWidth = Math.max(1, width - left - MARGIN.right);
  const xTicks = timeTicks(
    xs,
    Math.max(1, Math.floor(plotWidth / TIME_LABEL_PX)),
    -new Date(xs.min).getTimezoneOffset(),
  );
  // Every time any series has a point at, ascending: what the tooltip steps through.
  const times = [...new Set(series.flatMap((line) => line.points.map((point) => point.x)))].sort(
    (a, b) => a - b,
  );
  const activeX = active === null ? undefined : times[active];

  function pointAt(clientX: number, target: Element) {
    const box = target.getBoundingClientRect();
    const scaleBack = linearScale({ min: left, max: width - MARGIN.right }, xs);
    setActive(nearestIndex(times, scaleBack(clientX - box.left)));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const last = times.length - 1;
    const current = active ?? last;
    const next =
      event.key === 'ArrowLeft'
        ? Math.max(0, current - 1)
        : event.key === 'ArrowRight'
          ? Math.min(last, current + 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : event.key === 'Escape'
                ? null
                : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setActive(next);
  }

  return (
    <div
      ref={ref}
      className="sy-chart__plot"
      role="group"
      aria-label={`${title}: use the arrow keys to read each point`}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => setActive((current) => current ?? times.length - 1)}
      onBlur={() => setActive(null)}
      onPointerLeave={() => setActive(null)}
      style={{ height }}
    >
      <svg
        className="sy-chart__svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        aria-hidden="true"
        onPointerMove={(event: PointerEvent<SVGSVGElement>) =>
          pointAt(event.clientX, event.currentTarget)
        }
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              className="sy-chart__grid"
              x1={left}
              x2={width - MARGIN.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text className="sy-chart__axis" x={left - 6} y={y(tick) + 4} textAnchor="end">
              {formatValue(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <g key={tick}>
            <line
              className="sy-chart__tick"
              x1={x(tick)}
              x2={x(tick)}
              y1={height - MARGIN.bottom}
              y2={height - MARGIN.bottom + 4}
            />
            <text className="sy-chart__axis" x={x(tick)} y={height - 6} textAnchor="middle">
              {formatClock(tick)}
            </text>
          </g>
        ))}
        {activeX !== undefined ? (
          <line
            className="sy-chart__cursor"
            x1={x(activeX)}
            x2={x(activeX)}
            y1={MARGIN.top}
            y2={height - MARGIN.bottom}
          />
        ) : null}
        {series.map((line, index) =>
          isolatedPoints(line.points).map((point) => (
            <circle
              key={`${line.name}-${point.x}`}
              className="sy-chart__point"
              cx={x(point.x)}
              cy={y(point.y ?? 0)}
              r={3}
              fill={colorOf(series, index)}
            />
          )),
        )}
        {series.map((line, index) => (
          <path
            key={line.name}
            className="sy-chart__line"
            d={linePath(line.points, x, y)}
            stroke={colorOf(series, index)}
            fill="none"
          />
        ))}
        {activeX !== undefined
          ? series.map((line, index) => {
              const point = line.points.find((candidate) => candidate.x === activeX);
              return point?.y === null || point?.y === undefined ? null : (
                <circle
                  key={`active-${line.name}`}
                  className="sy-chart__marker"
                  cx={x(point.x)}
                  cy={y(point.y)}
                  r={4}
                  fill={colorOf(series, index)}
                />
              );
            })
          : null}
      </svg>
      <div className="sy-chart__tooltip" aria-live="polite">
        {activeX !== undefined ? (
          <div
            className="sy-chart__tooltip-box"
            role="status"
            style={
              x(activeX) > width / 2 ? { right: width - x(activeX) + 8 } : { left: x(activeX) + 8 }
            }
          >
            <div className="sy-chart__tooltip-time">{formatTime(activeX)}</div>
            {series.map((line, index) => {
              const value = line.points.find((point) => point.x === activeX)?.y;
              return (
                <div key={line.name}>
                  <span
                    className="sy-chart__swatch"
                    style={{ background: colorOf(series, index) }}
                  />{' '}
                  {line.name}: {value === null || value === undefined ? '—' : formatValue(value)}
                </div>
              );
            })}
          </div>
        ) : null}
      </div>
    </div>
  );
}
