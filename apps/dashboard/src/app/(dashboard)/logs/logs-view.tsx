'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { formatLatency, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { CursorPager, useCursorPages } from '../../../components/cursor-pager.tsx';
import { formatTime, PageHeader, QueryView, succeeded } from '../../../components/page-parts.tsx';
import { DIALECT_LABELS, dialectLabel, TokenFigures, type LogDialect } from './log-fields.tsx';

interface Filters {
  status: '' | 'success' | 'error';
  provider: string;
  route: string;
  keyId: string;
  dialect: '' | LogDialect;
}

const PAGE_SIZE = 25;

export function LogsView() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({
    status: '',
    provider: '',
    route: '',
    keyId: '',
    dialect: '',
  });
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const providers = useQuery(trpc.providers.list.queryOptions());
  const routes = useQuery(trpc.routes.list.queryOptions());
  const keys = useQuery(trpc.keys.list.queryOptions());
  const logs = useQuery(
    trpc.logs.list.queryOptions(
      {
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.provider ? { provider: filters.provider } : {}),
        ...(filters.route ? { route: filters.route } : {}),
        ...(filters.keyId ? { keyId: filters.keyId } : {}),
        ...(filters.dialect ? { dialect: filters.dialect } : {}),
      },
      { refetchInterval: pages.number === 1 ? 5_000 : false },
    ),
  );
  const setFilter = (patch: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    pages.reset();
  };
  const keyName = (id: string | null | undefined) =>
    id ? (keys.data?.find((key) => key.id === id)?.name ?? id) : '—';
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader
        title="Request logs"
        description="Every request through the gateway, newest first. Open one to see which providers were tried and why each failed."
      />
      <form
        className="filters"
        aria-label="Filter requests"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="sy-field">
          <label htmlFor="filter-status">Outcome</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(event) => setFilter({ status: event.target.value as Filters['status'] })}
          >
            <option value="">All</option>
            <option value="success">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </div>
        <div className="sy-field">
          <label htmlFor="filter-provider">Provider</label>
          <select
            id="filter-provider"
            value={filters.provider}
            onChange={(event) => setFilter({ provider: event.target.value })}
          >
            <option value="">All</option>
            {(providers.data?.providers ?? []).map((provider) => (
              <option key={provider.id} value={provider.id}>
                {provider.name}
              </option>
            ))}
          </select>
        </div>
        <div className="sy-field">
          <label htmlFor="filter-route">Route</label>
          <select
            id="filter-route"
            value={filters.route}
            onChange={(event) => setFilter({ route: event.target.value })}
          >
            <option value="">All</option>
            {(routes.data ?? []).map((route) => (
              <option key={route.name} value={route.name}>
                {route.name}
              </option>
            ))}
          </select>
        </div>
        <div className="sy-field">
          <label htmlFor="filter-key">API key</label>
          <select
            id="filter-key"
            value={filters.keyId}
            onChange={(event) => setFilter({ keyId: event.target.value })}
          >
            <option value="">All</option>
            {(keys.data ?? []).map((key) => (
              <option key={key.id} value={key.id}>
                {key.name}
              </option>
            ))}
          </select>
        </div>
        <div className="sy-field">
          <label htmlFor="filter-dialect">API</label>
          <select
            id="filter-dialect"
            value={filters.dialect}
            onChange={(event) => setFilter({ dialect: event.target.value as Filters['dialect'] })}
          >
            <option value="">All</option>
            {Object.entries(DIALECT_LABELS).map(([dialect, label]) => (
              <option key={dialect} value={dialect}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <button
            type="button"
            className="sy-button"
            onClick={() =>
              setFilter({ status: '', provider: '', route: '', keyId: '', dialect: '' })
            }
          >
            Clear filters
          </button>
        ) : null}
      </form>
      <QueryView query={logs} what="requests">
        {(page) =>
          page.items.length === 0 ? (
            <p className="sy-empty">
              {filtered ? (
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
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">API</th>
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
                        First token
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
                      <tr key={log.id} data-request={log.requestId}>
                        <td>
                          <Link href={`/logs/${encodeURIComponent(log.id)}`}>
                            {formatTime(log.createdAt)}
                          </Link>
                        </td>
                        <td className={succeeded(log) ? 'status-success' : 'status-error'}>
                          {log.status} {succeeded(log) ? 'ok' : (log.errorKind ?? 'error')}
                          {log.stream ? <span className="sy-hint"> stream</span> : null}
                          {log.cache === 'hit' ? <span className="sy-hint"> cached</span> : null}
                        </td>
                        <td>{dialectLabel(log.dialect)}</td>
                        <td>
                          {log.route ?? '—'}
                          {log.model ? <span className="sy-hint"> {log.model}</span> : null}
                        </td>
                        <td>{log.provider ?? '—'}</td>
                        <td>{keyName(log.keyId)}</td>
                        <td className="num">{log.attempts}</td>
                        <td className="num">{formatLatency(log.latencyMs)}</td>
                        <td className="num">{formatLatency(log.firstTokenMs)}</td>
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
