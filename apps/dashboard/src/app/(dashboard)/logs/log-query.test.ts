import { describe, expect, it } from 'vitest';
import {
  EMPTY_LOG_QUERY,
  invalidLogQueryParams,
  logListFilter,
  logQueryParams,
  parseLogQuery,
} from './log-query.ts';

describe('the logs page query string', () => {
  it('round-trips every filter through the URL, leaving out the unset ones', () => {
    const query = {
      ...EMPTY_LOG_QUERY,
      range: '1h' as const,
      status: 'error' as const,
      model: 'gpt-4o-mini',
      keyId: 'key-1',
      failover: true,
      search: 'Oslo weather',
    };
    const params = logQueryParams(query);
    expect(params.toString()).toBe(
      'range=1h&status=error&key=key-1&model=gpt-4o-mini&failover=1&q=Oslo+weather',
    );
    expect(parseLogQuery(params)).toEqual(query);
    expect(logQueryParams(EMPTY_LOG_QUERY).toString()).toBe('');
  });

  it('drops values it does not know, and names them for the export', () => {
    const params = new URLSearchParams('range=1y&status=maybe&api=soap&provider=openai');
    expect(parseLogQuery(params)).toEqual({ ...EMPTY_LOG_QUERY, provider: 'openai' });
    expect(invalidLogQueryParams(params)).toEqual(['range', 'status', 'api']);
  });

  it('gives the list procedure only what is set, with the search trimmed', () => {
    expect(logListFilter({ ...EMPTY_LOG_QUERY, search: '  ', route: 'chat' })).toEqual({
      route: 'chat',
    });
    expect(logListFilter({ ...EMPTY_LOG_QUERY, range: '24h', search: ' hi ' })).toEqual({
      range: '24h',
      search: 'hi',
    });
  });
});
