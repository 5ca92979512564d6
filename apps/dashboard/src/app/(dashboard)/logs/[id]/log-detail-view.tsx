'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatCount, formatLatency, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../../trpc/react.tsx';
import {
  formatTime,
  PageHeader,
  QueryView,
  succeeded,
} from '../../../../components/page-parts.tsx';
import { dialectLabel } from '../log-fields.tsx';

function Body({ value, hidden }: { value: unknown; hidden: boolean }) {
  if (hidden)
    return (
      <p className="sy-hint">
        Only admins can read bodies (an admin can allow viewers in Settings).
      </p>
    );
  if (value === null || value === undefined)
    return (
      <p className="sy-hint">
        Not recorded (turn on “Log request and response bodies” in Settings).
      </p>
    );
  return (
    <pre className="body">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
  );
}

export function LogDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const log = useQuery(trpc.logs.get.queryOptions({ id }));
  return (
    <>
      <PageHeader title="Request" description={<Link href="/logs">← All requests</Link>} />
      <QueryView
        query={log}
        what="the request"
        notFoundBack={<Link href="/logs">Back to all requests</Link>}
      >
        {(entry) => (
          <>
            <section className="card">
              <dl className="facts">
                <dt>Request id</dt>
                <dd>
                  <code>{entry.requestId}</code>
                </dd>
                <dt>Time</dt>
                <dd>{formatTime(entry.createdAt)}</dd>
                <dt>Outcome</dt>
                <dd className={succeeded(entry) ? 'status-success' : 'status-error'}>
                  HTTP {entry.status},{' '}
                  {succeeded(entry)
                    ? 'succeeded'
                    : `failed${entry.errorKind ? ` (${entry.errorKind})` : ''}`}
                  {entry.errorMessage ? <span>: {entry.errorMessage}</span> : null}
                </dd>
                <dt>API</dt>
                <dd>{dialectLabel(entry.dialect)}</dd>
                <dt>Route</dt>
                <dd>{entry.route ?? '—'}</dd>
                <dt>Served by</dt>
                <dd>
                  {entry.provider ?? 'nobody'}
                  {entry.model ? ` (${entry.model})` : ''}
                </dd>
                <dt>Streamed</dt>
                <dd>
                  {entry.stream ? 'yes' : 'no'}
                  {entry.cache ? `, cache ${entry.cache}` : ''}
                </dd>
                <dt>Latency</dt>
                <dd>
                  {formatLatency(entry.latencyMs)}
                  {entry.firstTokenMs !== null && entry.firstTokenMs !== undefined
                    ? `, first token after ${formatLatency(entry.firstTokenMs)}`
                    : ''}
                </dd>
                <dt>Tokens</dt>
                <dd>
                  {formatCount(entry.inputTokens)} in, {formatCount(entry.outputTokens)} out
                  {entry.usageEstimated
                    ? ' (estimated: the provider reported no usage, the gateway counted them)'
                    : ''}
                </dd>
                <dt>Cost</dt>
                <dd>{formatUsd(entry.costUsd)}</dd>
              </dl>
            </section>
            <section className="card" aria-labelledby="trail-title">
              <h2 id="trail-title">Attempts ({entry.attemptTrail.length})</h2>
              {entry.attemptTrail.length === 0 ? (
                <p className="sy-hint">
                  No provider was tried (the request was refused or answered from the cache).
                </p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">#</th>
                        <th scope="col">Provider</th>
                        <th scope="col">Model</th>
                        <th scope="col">Outcome</th>
                        <th scope="col">Why</th>
                        <th scope="col" className="num">
                          Time
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {entry.attemptTrail.map((attempt, index) => (
                        <tr key={index}>
                          <td>{index + 1}</td>
                          <td>{attempt.provider}</td>
                          <td>{attempt.model}</td>
                          <td
                            className={
                              attempt.outcome === 'success'
                                ? 'status-success'
                                : attempt.outcome === 'error'
                                  ? 'status-error'
                                  : ''
                            }
                          >
                            {attempt.outcome}
                          </td>
                          <td>
                            {attempt.kind ? <code>{attempt.kind}</code> : null}
                            {attempt.status ? ` HTTP ${attempt.status}` : ''}
                            {attempt.message ? ` — ${attempt.message}` : ''}
                          </td>
                          <td className="num">{formatLatency(attempt.latencyMs)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section className="grid-2">
              <div className="card">
                <h2>Request body</h2>
                <Body
                  value={'requestBody' in entry ? entry.requestBody : undefined}
                  hidden={entry.bodiesHidden}
                />
              </div>
              <div className="card">
                <h2>Response body</h2>
                <Body
                  value={'responseBody' in entry ? entry.responseBody : undefined}
                  hidden={entry.bodiesHidden}
                />
              </div>
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
