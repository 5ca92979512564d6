'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { formatLatency, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { CursorPager, useCursorPages } from '../../../components/cursor-pager.tsx';
import { PageHeader, QueryView, succeeded } from '../../../components/page-parts.tsx';
import { dialectLabel, TokenFigures } from './log-fields.tsx';
import { LogFilters } from './log-filters.tsx';
import {
  isFiltered,
  logListFilter,
  logQueryParams,
  parseLogQuery,
  type LogQuery,
} from './log-query.ts';
import './logs.css';

const PAGE_SIZE = 25;
/** How often the newest page is read again while live. */
export const LIVE_REFRESH_MS = 3_000;

export function LogsView() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const query = parseLogQuery(new URLSearchParams(searchParams.toString()));
  const queryString = logQueryParams(query).toString();
  // Each change is a history entry: the back button returns to the previous filters.
  const navigate = (next: LogQuery) => {
    const params = logQueryParams(next).toString();
    router.push(params ? `${pathname}?${params}` : pathname, { scroll: false });
  };

  return (
    <>
      <PageHeader
        title="Request logs"
        description="Every request through the gateway, newest first. Open one to see which providers were tried and why each failed."
      />
      <LogFilters query={query} onChange={navigate} />
      {/* A new key per filter set starts again at the newest page. */}
      <LogsTable key={queryString} query={query} queryString={queryString} />
    </>
  );
}

function LogsTable({ query, queryString }: { query: LogQuery; queryString: string }) {
  const trpc = useTRPC();
  const [live, setLive] = useState(true);
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const keys = useQuery(trpc.keys.list.queryOptions());
  const tailing = live && pages.number === 1;
  const logs = useQuery(
    trpc.logs.list.queryOptions(
      { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...logListFilter(query) },
      { refetchInterval: tailing ? LIVE_REFRESH_MS : false, placeholderData: keepPreviousData },
    ),
  );
  const keyName = (id: string | null | undefined) =>
    id ? (keys.data?.find((key) => key.id === id)?.name ?? id) : '—';
  const exportHref = (format: 'csv' | 'jsonl') =>
    `/api/logs/export?format=${format}${queryString ? `&${queryString}` : ''}`;

  return (
    <>
      <div className="logs-toolbar">
        <button
          type="button"
          className="sy-button"
          aria-pressed={!live}
          onClick={() => setLive(!live)}
        >
          {live ? 'Pause' : 'Resume live updates'}
        </button>
        <span className="sy-hint" role="status" data-testid="logs-live-state">
          {tailing
            ? `Live: refreshed every ${LIVE_REFRESH_MS / 1000} s`
            : live
              ? 'Live updates on the newest page only'
              : 'Paused'}
          {logs.dataUpdatedAt
            ? ` · updated ${new Date(logs.dataUpdatedAt).toLocaleTimeString()}`
            : ''}
        </span>
        <span className="logs-toolbar__export">
          <a className="sy-button" href={exportHref('csv')} download>
            Export CSV
          </a>
          <a className="sy-button" href={exportHref('jsonl')} download>
            Export JSON lines
          </a>
        </span>
      </div>
      <QueryView query={logs} what="requests">
        {(page) =>
          page.items.length === 0 ? (
            <p className="sy-empty">
              {isFiltered(query) ? (
                'No request matches these filters.'
              ) : (
                <>
                  No requests yet. Try the <Link href="/playground">playground</Link>, or call{' '}
                  <code>/v1/chat/completions</code> with an API key.
                </>
              )}
            </p>
          ) : (
            <>
              <div className="table-wrap">
                <table className="logs-table">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Route / model</th>
                      <th scope="col">Provider</th>
                      <th scope="col">Key</th>
                      <th scope="col" className="num">
                        Attempts
                      </th>
                      <th scope="col" className="num">
                        Latency
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
                    {page.items.map((log) => (
                      <tr
                        key={log.id}
                        data-request={log.requestId}
                        className={log.attempts > 1 ? 'logs-row--failover' : undefined}
                      >
                        <td>
                          <Link href={`/logs/${encodeURIComponent(log.id)}`}>
                            <LogTime value={log.createdAt} />
                          </Link>
                          <span className="logs-sub">{dialectLabel(log.dialect)}</span>
                        </td>
                        <td>
                          <span className={succeeded(log) ? 'status-success' : 'status-error'}>
                            {log.status} {succeeded(log) ? 'ok' : (log.errorKind ?? 'error')}
                          </span>
                          {log.attempts > 1 ? (
                            <span
                              className="sy-badge logs-badge--failover"
                              title={`${log.attempts} attempts: ${log.attemptTrail
                                .map((attempt) => `${attempt.provider} ${attempt.outcome}`)
                                .join(', ')}`}
                            >
                              failover
                            </span>
                          ) : null}
                          {log.stream ? <span className="sy-hint"> stream</span> : null}
                          {log.cache === 'hit' ? <span className="sy-hint"> cached</span> : null}
                        </td>
                        <td className="logs-wrap">
                          {log.route ?? '—'}
                          {log.model ? <span className="logs-sub">{log.model}</span> : null}
                        </td>
                        <td>{log.provider ?? '—'}</td>
                        <td className="logs-wrap">{keyName(log.keyId)}</td>
                        <td className="num">{log.attempts}</td>
                        <td className="num">
                          {formatLatency(log.latencyMs)}
                          {log.firstTokenMs !== undefined ? (
                            <span className="logs-sub" title="Time to the first token">
                              first {formatLatency(log.firstTokenMs)}
                            </span>
                          ) : null}
                        </td>
                        <td className="num">
                          <TokenFigures log={log} />
                        </td>
                        <td className="num">{formatUsd(log.costUsd)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <CursorPager
                label="Pages"
                pages={pages}
                nextCursor={page.nextCursor}
                showPageNumber
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}

/** Today's rows by time only; older ones with the date. */
function LogTime({ value }: { value: Date | string }) {
  const date = typeof value === 'string' ? new Date(value) : value;
  const today = date.toDateString() === new Date().toDateString();
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {today
        ? date.toLocaleTimeString()
        : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}
    </time>
  );
}
