'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import {
  formatClock,
  formatCount,
  formatLatency,
  formatUsd,
  HealthGrid,
  TimeSeriesChart,
  toHealthSummary,
  type Point,
} from '@switchyard/ui';
import { useTRPC } from '../../trpc/react.tsx';
import { PageHeader, QueryView } from '../../components/page-parts.tsx';
import type { RouterOutputs } from '../../server/api/index.ts';

type Stats = RouterOutputs['overview']['stats'];
type Bucket = Stats['buckets'][number];

const WINDOWS = [
  { minutes: 15, label: 'Last 15 minutes' },
  { minutes: 60, label: 'Last hour' },
  { minutes: 360, label: 'Last 6 hours' },
  { minutes: 1440, label: 'Last 24 hours' },
] as const;

/** Each bucket drawn at its middle, so the newest traffic sits inside the axis, not on its edge. */
function series(stats: Stats, value: (bucket: Bucket) => number | null): Point[] {
  return stats.buckets.map((bucket) => ({
    x: new Date(bucket.start).getTime() + stats.bucketMs / 2,
    y: value(bucket),
  }));
}

function totals(buckets: ReadonlyArray<Bucket>) {
  const requests = buckets.reduce((sum, bucket) => sum + bucket.requests, 0);
  const errors = buckets.reduce((sum, bucket) => sum + bucket.errors, 0);
  const inputTokens = buckets.reduce((sum, bucket) => sum + bucket.inputTokens, 0);
  const outputTokens = buckets.reduce((sum, bucket) => sum + bucket.outputTokens, 0);
  const cost = buckets.reduce((sum, bucket) => sum + bucket.costUsd, 0);
  const worst = (value: (bucket: Bucket) => number | null) => {
    const values = buckets.flatMap((bucket) => {
      const measured = value(bucket);
      return measured === null ? [] : [measured];
    });
    return values.length === 0 ? null : Math.max(...values);
  };
  return {
    requests,
    errors,
    inputTokens,
    outputTokens,
    tokens: inputTokens + outputTokens,
    cost,
    p50: worst((bucket) => bucket.p50LatencyMs),
    p95: worst((bucket) => bucket.p95LatencyMs),
    firstToken: worst((bucket) => bucket.p50FirstTokenMs),
  };
}

function formatDuration(ms: number): string {
  return ms % 3_600_000 === 0
    ? `${ms / 3_600_000} h`
    : ms % 60_000 === 0
      ? `${ms / 60_000} min`
      : `${Math.round(ms / 1000)} s`;
}

function Charts({ stats, period }: { stats: Stats; period: string }) {
  const { buckets, bucketMs } = stats;
  const sum = totals(buckets);
  const first = buckets[0] ? new Date(buckets[0].start).getTime() : stats.sinceMs;
  // The axis spans the buckets the period touches, end to end.
  const domain = { min: first, max: first + buckets.length * bucketMs };
  const bucketTime = (x: number) => {
    const start = x - bucketMs / 2;
    return `${formatClock(start)}–${formatClock(start + bucketMs)}`;
  };
  const interval = formatDuration(bucketMs);
  if (sum.requests === 0)
    return (
      <div className="sy-empty">
        <p style={{ marginTop: 0 }}>No requests in this period. To get the first answer:</p>
        <ol>
          <li>
            Start LM Studio&apos;s server on port 1234, or add a cloud provider with its API key on
            the <Link href="/providers">Providers</Link> page (its <strong>Test</strong> button
            tells you at once whether it answers).
          </li>
          <li>
            Ask something in the <Link href="/playground">Playground</Link>: the answer streams in,
            with who served it and what it cost.
          </li>
          <li>
            For your apps, create a key on the <Link href="/keys">API keys</Link> page and point any
            OpenAI client at <code>/v1</code> on this server.
          </li>
        </ol>
      </div>
    );
  const errorRate = `${((sum.errors / sum.requests) * 100).toFixed(1)}%`;
  const common = { domain, formatTime: bucketTime };
  return (
    <>
      <p className="sy-hint" style={{ marginTop: 0 }}>
        {period}; each point is one {interval} interval. Figures beside each chart cover the whole
        period, like the tiles.
      </p>
      <div className="stats">
        <div className="stat">
          <div className="stat__label">Requests</div>
          <div className="stat__value">{formatCount(sum.requests)}</div>
        </div>
        <div className="stat">
          <div className="stat__label">Error rate</div>
          <div className="stat__value">{errorRate}</div>
        </div>
        <div className="stat">
          <div className="stat__label">Worst p95 latency</div>
          <div className="stat__value">{formatLatency(sum.p95)}</div>
        </div>
        <div className="stat">
          <div className="stat__label">Tokens</div>
          <div className="stat__value">{formatCount(sum.tokens)}</div>
        </div>
        <div className="stat">
          <div className="stat__label">Cost</div>
          <div className="stat__value">{formatUsd(sum.cost)}</div>
        </div>
      </div>
      <div className="grid-2">
        <TimeSeriesChart
          {...common}
          title={`Requests per ${interval}`}
          series={[
            {
              name: 'requests',
              summary: `${formatCount(sum.requests)} in all`,
              points: series(stats, (bucket) => bucket.requests),
            },
          ]}
          formatValue={formatCount}
        />
        <TimeSeriesChart
          {...common}
          title="Error rate"
          series={[
            {
              name: 'errors',
              summary: `${errorRate} overall`,
              points: series(stats, (bucket) =>
                bucket.requests === 0 ? null : (bucket.errors / bucket.requests) * 100,
              ),
            },
          ]}
          formatValue={(value) => `${Number(value.toFixed(1))}%`}
        />
        <TimeSeriesChart
          {...common}
          title="Latency"
          series={[
            {
              name: 'p50',
              summary: `worst ${formatLatency(sum.p50)}`,
              points: series(stats, (bucket) => bucket.p50LatencyMs),
            },
            {
              name: 'p95',
              summary: `worst ${formatLatency(sum.p95)}`,
              points: series(stats, (bucket) => bucket.p95LatencyMs),
            },
          ]}
          formatValue={formatLatency}
        />
        <TimeSeriesChart
          {...common}
          title="Time to first token (p50)"
          series={[
            {
              name: 'p50',
              summary: `worst ${formatLatency(sum.firstToken)}`,
              points: series(stats, (bucket) => bucket.p50FirstTokenMs),
            },
          ]}
          formatValue={formatLatency}
          emptyText="No streamed requests in this period."
        />
        <TimeSeriesChart
          {...common}
          title="Tokens"
          series={[
            {
              name: 'input',
              summary: formatCount(sum.inputTokens),
              points: series(stats, (bucket) => bucket.inputTokens),
            },
            {
              name: 'output',
              summary: formatCount(sum.outputTokens),
              points: series(stats, (bucket) => bucket.outputTokens),
            },
          ]}
          formatValue={formatCount}
        />
        <TimeSeriesChart
          {...common}
          title="Cost"
          series={[
            {
              name: 'USD',
              summary: `${formatUsd(sum.cost)} in all`,
              points: series(stats, (bucket) => bucket.costUsd),
            },
          ]}
          formatValue={formatUsd}
        />
      </div>
    </>
  );
}

export function OverviewView() {
  const trpc = useTRPC();
  const [windowMinutes, setWindowMinutes] = useState<(typeof WINDOWS)[number]['minutes']>(60);
  const health = useQuery(trpc.overview.health.queryOptions(undefined, { refetchInterval: 5_000 }));
  const stats = useQuery(
    trpc.overview.stats.queryOptions({ windowMinutes }, { refetchInterval: 10_000 }),
  );
  return (
    <>
      <PageHeader
        title="Overview"
        description="Provider health and traffic through the gateway, refreshed every few seconds."
      />
      <section className="card" aria-labelledby="health-title">
        <h2 id="health-title">Provider health</h2>
        <QueryView query={health} what="provider health">
          {(data) => (
            <HealthGrid
              providers={[...data.providers].sort((a, b) => a.priority - b.priority)}
              health={data.health.map(toHealthSummary)}
              emptyText="No providers yet: add one on the Providers page."
            />
          )}
        </QueryView>
      </section>
      <section className="card" aria-labelledby="traffic-title">
        <div className="page-header">
          <h2 id="traffic-title">Traffic</h2>
          <div className="sy-field">
            <label htmlFor="window">Period</label>
            <select
              id="window"
              value={windowMinutes}
              onChange={(event) =>
                setWindowMinutes(Number(event.target.value) as typeof windowMinutes)
              }
            >
              {WINDOWS.map((option) => (
                <option key={option.minutes} value={option.minutes}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <QueryView query={stats} what="traffic">
          {(data) => (
            <Charts
              stats={data}
              period={WINDOWS.find((option) => option.minutes === windowMinutes)?.label ?? ''}
            />
          )}
        </QueryView>
      </section>
    </>
  );
}
