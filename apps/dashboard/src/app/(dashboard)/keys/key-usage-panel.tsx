'use client';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { formatCount, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { QueryView } from '../../../components/page-parts.tsx';

const PERIODS = [
  { value: 'day', label: 'Last 24 hours' },
  { value: 'week', label: 'Last 7 days' },
  { value: 'month', label: 'Last 30 days' },
] as const;

/** One key's requests, tokens and spend over a period, in total and per model, from the request log. */
export function KeyUsagePanel({
  keyId,
  name,
  onClose,
}: {
  keyId: string;
  name: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [period, setPeriod] = useState<(typeof PERIODS)[number]['value']>('week');
  const usage = useQuery(trpc.keys.usage.queryOptions({ id: keyId, period }));
  return (
    <section className="sy-form key-usage" aria-label={`Usage of ${name}`}>
      <div className="key-usage__header">
        <h3 className="sy-form__title">Usage of “{name}”</h3>
        <div className="sy-field">
          <label htmlFor={`${id}-period`}>Period</label>
          <select
            id={`${id}-period`}
            value={period}
            onChange={(event) => setPeriod(event.target.value as typeof period)}
          >
            {PERIODS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryView query={usage} what="the key's usage">
        {(data) => (
          <>
            <dl className="facts">
              <dt>Requests</dt>
              <dd data-testid="usage-requests">{formatCount(data.requests)}</dd>
              <dt>Failed</dt>
              <dd>{formatCount(data.failed)}</dd>
              <dt>Input tokens</dt>
              <dd>{formatCount(data.inputTokens)}</dd>
              <dt>Output tokens</dt>
              <dd>{formatCount(data.outputTokens)}</dd>
              <dt>Cost</dt>
              <dd data-testid="usage-cost">{formatUsd(data.costUsd)}</dd>
            </dl>
            {data.byModel.length === 0 ? (
              <p className="sy-empty">No requests with this key in this period.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col" className="num">
                        Requests
                      </th>
                      <th scope="col" className="num">
                        Tokens in / out
                      </th>
                      <th scope="col" className="num">
                        Cost
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byModel.map((entry) => (
                      <tr key={entry.model}>
                        <td>{entry.model}</td>
                        <td className="num">{formatCount(entry.requests)}</td>
                        <td className="num">
                          {formatCount(entry.inputTokens)} / {formatCount(entry.outputTokens)}
                        </td>
                        <td className="num">{formatUsd(entry.costUsd)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryView>
      <div className="sy-actions">
        <button type="button" className="sy-button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
