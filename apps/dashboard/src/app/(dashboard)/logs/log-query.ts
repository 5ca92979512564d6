// The logs page's filters as a URL query string, shared by the page (shareable links, the back
// button) and the export route, and turned into the list procedure's filter input.
import { CLIENT_DIALECTS, type ClientDialect } from '@switchyard/core';

/** Relative time ranges, read against the clock when the query runs. */
export const TIME_RANGES = {
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 60 * 60_000 },
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 60 * 60_000 },
} as const;

export type TimeRange = keyof typeof TIME_RANGES;

/** Longest body search accepted (the database caps it at the same length). */
export const MAX_SEARCH_LENGTH = 200;

export const TIME_RANGE_NAMES = Object.keys(TIME_RANGES) as [TimeRange, ...TimeRange[]];

export interface LogQuery {
  range: '' | TimeRange;
  status: '' | 'success' | 'error';
  provider: string;
  route: string;
  keyId: string;
  model: string;
  dialect: '' | ClientDialect;
  failover: boolean;
  search: string;
}

export const EMPTY_LOG_QUERY: LogQuery = {
  range: '',
  status: '',
  provider: '',
  route: '',
  keyId: '',
  model: '',
  dialect: '',
  failover: false,
  search: '',
};

/** Query-string names: short, as people share and edit them. */
const PARAM = {
  range: 'range',
  status: 'status',
  provider: 'provider',
  route: 'route',
  keyId: 'key',
  model: 'model',
  dialect: 'api',
  failover: 'failover',
  search: 'q',
} as const satisfies Record<keyof LogQuery, string>;

function isTimeRange(value: string): value is TimeRange {
  return Object.hasOwn(TIME_RANGES, value);
}

function isDialect(value: string): value is ClientDialect {
  return (CLIENT_DIALECTS as ReadonlyArray<string>).includes(value);
}

/** Unknown or malformed values are dropped: an edited link still opens the page. */
export function parseLogQuery(params: URLSearchParams): LogQuery {
  const text = (name: string) => params.get(name)?.trim() ?? '';
  const range = text(PARAM.range);
  const status = text(PARAM.status);
  const dialect = text(PARAM.dialect);
  return {
    range: isTimeRange(range) ? range : '',
    status: status === 'success' || status === 'error' ? status : '',
    provider: text(PARAM.provider),
    route: text(PARAM.route),
    keyId: text(PARAM.keyId),
    model: text(PARAM.model),
    dialect: isDialect(dialect) ? dialect : '',
    failover: params.get(PARAM.failover) === '1',
    search: params.get(PARAM.search) ?? '',
  };
}

/** Only the filters that are set, in a stable order. */
export function logQueryParams(query: LogQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of Object.keys(PARAM) as (keyof LogQuery)[]) {
    const value = query[field];
    if (value === true) params.set(PARAM[field], '1');
    else if (typeof value === 'string' && value.trim() !== '') params.set(PARAM[field], value);
  }
  return params;
}

export function isFiltered(query: LogQuery): boolean {
  return logQueryParams(query).size > 0;
}

/** The list procedure's filter input (without limit and cursor); the server reads the range. */
export function logListFilter(query: LogQuery) {
  const search = query.search.trim();
  return {
    ...(query.range ? { range: query.range } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.provider ? { provider: query.provider } : {}),
    ...(query.route ? { route: query.route } : {}),
    ...(query.keyId ? { keyId: query.keyId } : {}),
    ...(query.model ? { model: query.model } : {}),
    ...(query.dialect ? { dialect: query.dialect } : {}),
    ...(query.failover ? { failover: true } : {}),
    ...(search ? { search } : {}),
  };
}

/** Filter parameters given with a value `parseLogQuery` would drop, for a 400 that names them. */
export function invalidLogQueryParams(params: URLSearchParams): string[] {
  const parsed = logQueryParams(parseLogQuery(params));
  return Object.values(PARAM).filter((name) => {
    const given = params.get(name)?.trim();
    return given !== undefined && given !== '' && parsed.get(name) !== given;
  });
}
