'use client';
// The logs page's filter bar: every control edits the URL's query string (see log-query.ts).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../../trpc/react.tsx';
import { DIALECT_LABELS, type LogDialect } from './log-fields.tsx';
import {
  EMPTY_LOG_QUERY,
  isFiltered,
  MAX_SEARCH_LENGTH,
  TIME_RANGES,
  type LogQuery,
  type TimeRange,
} from './log-query.ts';

export function LogFilters({
  query,
  onChange,
}: {
  query: LogQuery;
  onChange: (next: LogQuery) => void;
}) {
  const trpc = useTRPC();
  const providers = useQuery(trpc.providers.list.queryOptions());
  const routes = useQuery(trpc.routes.list.queryOptions());
  const keys = useQuery(trpc.keys.list.queryOptions());
  const search = useQuery(trpc.logs.search.queryOptions());
  const set = (patch: Partial<LogQuery>) => onChange({ ...query, ...patch });
  // Typed text is applied on Enter or "Search", not per keystroke (each search scans bodies).
  const [searchText, setSearchText] = useState(query.search);
  const [modelText, setModelText] = useState(query.model);
  useEffect(() => setSearchText(query.search), [query.search]);
  useEffect(() => setModelText(query.model), [query.model]);
  const models = [
    ...new Set(
      (providers.data?.providers ?? []).flatMap((provider) =>
        provider.models.map((model) => model.name),
      ),
    ),
  ].sort();

  return (
    <form
      className="filters"
      aria-label="Filter requests"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        set({ search: searchText.trim(), model: modelText.trim() });
      }}
    >
      <div className="sy-field">
        <label htmlFor="filter-range">Time</label>
        <select
          id="filter-range"
          value={query.range}
          onChange={(event) => set({ range: event.target.value as '' | TimeRange })}
        >
          <option value="">Any time</option>
          {Object.entries(TIME_RANGES).map(([range, { label }]) => (
            <option key={range} value={range}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="sy-field">
        <label htmlFor="filter-status">Outcome</label>
        <select
          id="filter-status"
          value={query.status}
          onChange={(event) => set({ status: event.target.value as LogQuery['status'] })}
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
          value={query.provider}
          onChange={(event) => set({ provider: event.target.value })}
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
          value={query.route}
          onChange={(event) => set({ route: event.target.value })}
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
          value={query.keyId}
          onChange={(event) => set({ keyId: event.target.value })}
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
        <label htmlFor="filter-model">Model</label>
        <input
          id="filter-model"
          list="filter-model-options"
          value={modelText}
          placeholder="Any model"
          onChange={(event) => setModelText(event.target.value)}
          onBlur={() => {
            if (modelText.trim() !== query.model) set({ model: modelText.trim() });
          }}
        />
        <datalist id="filter-model-options">
          {models.map((model) => (
            <option key={model} value={model} />
          ))}
        </datalist>
      </div>
      <div className="sy-field">
        <label htmlFor="filter-dialect">API</label>
        <select
          id="filter-dialect"
          value={query.dialect}
          onChange={(event) => set({ dialect: event.target.value as '' | LogDialect })}
        >
          <option value="">All</option>
          {Object.entries(DIALECT_LABELS).map(([dialect, label]) => (
            <option key={dialect} value={dialect}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <label className="logs-check">
        <input
          type="checkbox"
          checked={query.failover}
          onChange={(event) => set({ failover: event.target.checked })}
        />{' '}
        Only failovers
      </label>
      {search.data?.allowed ? (
        <div className="sy-field logs-search">
          <label htmlFor="filter-search">Search bodies</label>
          <span className="logs-search__row">
            <input
              id="filter-search"
              type="search"
              value={searchText}
              maxLength={MAX_SEARCH_LENGTH}
              placeholder="Text in a request or answer"
              aria-describedby={search.data.logBodies ? undefined : 'filter-search-hint'}
              onChange={(event) => setSearchText(event.target.value)}
            />
            <button type="submit" className="sy-button">
              Search
            </button>
          </span>
          {search.data.logBodies ? null : (
            <span id="filter-search-hint" className="sy-hint">
              Body logging is off (Settings): only requests logged while it was on are found.
            </span>
          )}
        </div>
      ) : null}
      {isFiltered(query) ? (
        <button type="button" className="sy-button" onClick={() => onChange(EMPTY_LOG_QUERY)}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
