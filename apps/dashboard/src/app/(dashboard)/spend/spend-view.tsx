'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatCount, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { PageHeader, QueryView } from '../../../components/page-parts.tsx';
import type { RouterInputs } from '../../../server/api/index.ts';

type Dimension = RouterInputs['spend']['byDimension']['by'];
type Hours = NonNullable<RouterInputs['spend']['byDimension']['hours']>;

const DIMENSIONS: { value: Dimension; label: string }[] = [
  { value: 'key', label: 'API key' },
  { value: 'route', label: 'Route' },
  { value: 'provider', label: 'Provider' },
  { value: 'model', label: 'Model' },
];

const RANGES: { hours: Hours; label: string }[] = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 168, label: 'Last 7 days' },
  { hours: 720, label: 'Last 30 days' },
];

const NONE: Record<Dimension, string> = {
  key: 'No key',
  route: 'No route',
  provider: 'No provider',
  model: 'No model',
};

export function SpendView() {
  const trpc = useTRPC();
  const [by, setBy] = useState<Dimension>('model');
  const [hours, setHours] = useState<Hours>(24);
  const spend = useQuery(trpc.spend.byDimension.queryOptions({ by, hours }));
  const catalogue = useQuery(trpc.spend.catalogue.queryOptions());
  const dimension = DIMENSIONS.find((entry) => entry.value === by)?.label ?? by;
  return (
    <>
      <PageHeader
        title="Spend"
        description={
          <>
            What requests cost, from the usage each vendor reported (cache reads, cache writes and
            reasoning at their own prices), billed to the model that answered. Models without a
            price of their own use the price catalogue
            {catalogue.data
              ? ` (${catalogue.data.inEffect.source}, prices as of ${catalogue.data.inEffect.asOf})`
              : ''}
            .
          </>
        }
      />
      <div className="filters" role="group" aria-label="What to show">
        <div className="sy-field">
          <label htmlFor="spend-by">Group by</label>
          <select
            id="spend-by"
            value={by}
            onChange={(event) => setBy(event.target.value as Dimension)}
          >
            {DIMENSIONS.map((entry) => (
              <option key={entry.value} value={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <div className="sy-field">
          <label htmlFor="spend-period">Period</label>
          <select
            id="spend-period"
            value={hours}
            onChange={(event) => setHours(Number(event.target.value))}
          >
            {RANGES.map((range) => (
              <option key={range.hours} value={range.hours}>
                {range.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryView query={spend} what="spend">
        {(data) => {
          const total = data.rows.reduce((sum, row) => sum + row.costUsd, 0);
          const requests = data.rows.reduce((sum, row) => sum + row.requests, 0);
          const unpriced = data.rows.reduce((sum, row) => sum + row.unpriced, 0);
          return (
            <>
              <div className="stats">
                <div className="stat">
                  <div className="stat__label">Total spend</div>
                  <div className="stat__value" data-testid="spend-total">
                    {formatUsd(total)}
                  </div>
                </div>
                <div className="stat">
                  <div className="stat__label">Requests</div>
                  <div className="stat__value">{formatCount(requests)}</div>
                </div>
                <div className="stat">
                  <div className="stat__label">Without a price</div>
                  <div className="stat__value">{formatCount(unpriced)}</div>
                </div>
              </div>
              {data.rows.length === 0 ? (
                <p className="sy-empty">No requests in this period.</p>
              ) : (
                <div
                  className="table-wrap"
                  tabIndex={0}
                  role="region"
                  aria-label={`Spend by ${dimension}`}
                >
                  <table>
                    <caption className="sy-visually-hidden">Spend by {dimension}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{dimension}</th>
                        <th scope="col">Cost</th>
                        <th scope="col">Requests</th>
                        <th scope="col">Input tokens</th>
                        <th scope="col">Cache read</th>
                        <th scope="col">Cache write</th>
                        <th scope="col">Output tokens</th>
                        <th scope="col">Reasoning</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.rows.map((row) => (
                        <tr key={row.group ?? ''}>
                          <td>{row.label ?? <span className="sy-hint">{NONE[by]}</span>}</td>
                          <td>
                            {formatUsd(row.costUsd)}
                            {row.unpriced > 0 ? (
                              <span className="sy-hint"> ({row.unpriced} without a price)</span>
                            ) : null}
                          </td>
                          <td>{formatCount(row.requests)}</td>
                          <td>{formatCount(row.inputTokens)}</td>
                          <td>{formatCount(row.cachedInputTokens)}</td>
                          <td>{formatCount(row.cacheWriteTokens)}</td>
                          <td>{formatCount(row.outputTokens)}</td>
                          <td>{formatCount(row.reasoningTokens)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryView>
    </>
  );
}
