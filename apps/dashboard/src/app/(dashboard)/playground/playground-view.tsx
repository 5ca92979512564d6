'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { formatCount, formatLatency, formatUsd } from '@switchyard/ui';
import { useTRPC, useTRPCClient } from '../../../trpc/react.tsx';
import { errorMessage } from '../../../trpc/errors.ts';
import { PageHeader, QueryView } from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';
import type { PlaygroundEvent } from '../../../server/api/routers/playground.ts';
import type { PlaygroundDialect } from '../../../server/inference/dialect-stream.ts';

/** The client APIs the playground can speak, with the endpoint each one calls. */
const DIALECTS: readonly { id: PlaygroundDialect; label: string; path: string }[] = [
  { id: 'chat', label: 'Chat Completions', path: '/v1/chat/completions' },
  { id: 'responses', label: 'Responses', path: '/v1/responses' },
  { id: 'messages', label: 'Messages', path: '/v1/messages' },
];

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  error?: boolean;
}

interface RunInfo {
  provider: string | null;
  attempts: string | null;
  requestId: string | null;
  cache: string | null;
  latencyMs: number | null;
  firstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  finishReason: string | null;
  model: string | null;
}

const EMPTY_RUN: RunInfo = {
  provider: null,
  attempts: null,
  requestId: null,
  cache: null,
  latencyMs: null,
  firstTokenMs: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  finishReason: null,
  model: null,
};

export function PlaygroundView() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { isAdmin } = useSessionUser();
  const targets = useQuery(trpc.playground.targets.queryOptions());
  const [model, setModel] = useState('');
  const [provider, setProvider] = useState('');
  const [dialect, setDialect] = useState<PlaygroundDialect>('chat');
  const endpoint = DIALECTS.find((entry) => entry.id === dialect)?.path ?? '/v1/chat/completions';
  const [system, setSystem] = useState('');
  const [draft, setDraft] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [run, setRun] = useState<RunInfo | null>(null);
  const [streaming, setStreaming] = useState(false);
  const subscription = useRef<{ unsubscribe: () => void } | null>(null);

  useEffect(() => () => subscription.current?.unsubscribe(), []);

  const appendToAnswer = (text: string, error = false) =>
    setTurns((current) => {
      const last = current[current.length - 1];
      if (!last || last.role !== 'assistant') return current;
      return [
        ...current.slice(0, -1),
        { ...last, content: last.content + text, error: last.error || error },
      ];
    });

  function onEvent(event: PlaygroundEvent) {
    switch (event.type) {
      case 'start':
        setRun({
          ...EMPTY_RUN,
          provider: event.provider,
          attempts: event.attempts,
          requestId: event.requestId,
          cache: event.cache,
        });
        break;
      case 'delta':
        appendToAnswer(event.text);
        break;
      case 'done':
        setRun((current) => ({
          ...(current ?? EMPTY_RUN),
          latencyMs: event.latencyMs,
          firstTokenMs: event.firstTokenMs,
          inputTokens: event.usage?.inputTokens ?? null,
          outputTokens: event.usage?.outputTokens ?? null,
          costUsd: event.costUsd,
          finishReason: event.finishReason,
          model: event.model,
        }));
        break;
      case 'error':
        appendToAnswer(`${event.status ? `HTTP ${event.status}: ` : ''}${event.message}`, true);
        setRun((current) => ({ ...(current ?? EMPTY_RUN), latencyMs: event.latencyMs }));
        break;
    }
  }

  function send(event?: FormEvent) {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || streaming) return;
    const history: Turn[] = [
      ...turns.filter((turn) => !turn.error),
      { role: 'user', content: text },
    ];
    setTurns([...history, { role: 'assistant', content: '' }]);
    setDraft('');
    setRun(null);
    setStreaming(true);
    const messages = [
      ...(system.trim() ? [{ role: 'system' as const, content: system.trim() }] : []),
      ...history.map((turn) => ({ role: turn.role, content: turn.content })),
    ];
    subscription.current = client.playground.stream.subscribe(
      { messages, dialect, ...(model ? { model } : {}), ...(provider ? { provider } : {}) },
      {
        onData: onEvent,
        onError: (error) => {
          appendToAnswer(errorMessage(error), true);
          setStreaming(false);
        },
        onComplete: () => setStreaming(false),
        onStopped: () => setStreaming(false),
      },
    );
  }

  function stop() {
    subscription.current?.unsubscribe();
    subscription.current = null;
    setStreaming(false);
    appendToAnswer(' [stopped]', true);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) send();
  }

  if (!isAdmin)
    return (
      <>
        <PageHeader title="Playground" />
        <p className="sy-empty">
          The playground sends real requests that cost provider credit, so it needs the admin role.
        </p>
      </>
    );

  return (
    <>
      <PageHeader
        title="Playground"
        description="Chat through the gateway exactly as an app would, and see who answered and what it cost."
      />
      <QueryView query={targets} what="routes and providers">
        {(data) => (
          <div className="playground-layout">
            <section className="card chat" aria-label="Conversation">
              <div className="chat__messages" aria-live="polite">
                {turns.length === 0 ? (
                  <p className="sy-empty">
                    Write a message below. It goes through <code>{endpoint}</code> with your
                    playground key, using the route you pick
                    {data.providers.length === 0 ? (
                      <>
                        {' '}
                        — but first <Link href="/providers">add a provider</Link>
                      </>
                    ) : null}
                    .
                  </p>
                ) : null}
                {turns.map((turn, index) => (
                  <div
                    key={index}
                    className={`chat__message chat__message--${turn.role}${turn.error ? ' chat__message--error' : ''}`}
                    data-role={turn.role}
                  >
                    {turn.content || (streaming && index === turns.length - 1 ? '…' : '')}
                  </div>
                ))}
              </div>
              <form className="chat__composer" onSubmit={send}>
                <label htmlFor="playground-message" className="sy-visually-hidden">
                  Message
                </label>
                <textarea
                  id="playground-message"
                  rows={3}
                  value={draft}
                  onChange={(event) => setDraft(event.target.value)}
                  onKeyDown={onKeyDown}
                  placeholder="Ask something… (Ctrl+Enter sends)"
                />
                <div className="sy-actions">
                  <button
                    type="submit"
                    className="sy-button sy-button--primary"
                    disabled={streaming || !draft.trim()}
                  >
                    Send
                  </button>
                  {streaming ? (
                    <button type="button" className="sy-button" onClick={stop}>
                      Stop
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="sy-button"
                    disabled={streaming || turns.length === 0}
                    onClick={() => {
                      setTurns([]);
                      setRun(null);
                    }}
                  >
                    New conversation
                  </button>
                </div>
              </form>
            </section>
            <aside>
              <section className="card" aria-label="Options">
                <div className="sy-field">
                  <label htmlFor="playground-model">Route or model</label>
                  <select
                    id="playground-model"
                    value={model}
                    onChange={(event) => setModel(event.target.value)}
                  >
                    <option value="">
                      Default route{data.defaultRoute ? ` (${data.defaultRoute})` : ''}
                    </option>
                    {data.routes.map((name) => (
                      <option key={`route-${name}`} value={name}>
                        Route: {name}
                      </option>
                    ))}
                    {[...new Set(data.providers.flatMap((entry) => entry.models))].map((name) => (
                      <option key={`model-${name}`} value={name}>
                        Model: {name}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="sy-field">
                  <label htmlFor="playground-dialect">API</label>
                  <select
                    id="playground-dialect"
                    value={dialect}
                    disabled={streaming}
                    onChange={(event) => setDialect(event.target.value as PlaygroundDialect)}
                  >
                    {DIALECTS.map((entry) => (
                      <option key={entry.id} value={entry.id}>
                        {entry.label} ({entry.path})
                      </option>
                    ))}
                  </select>
                </div>
                <div className="sy-field">
                  <label htmlFor="playground-provider">Provider</label>
                  <select
                    id="playground-provider"
                    value={provider}
                    onChange={(event) => setProvider(event.target.value)}
                  >
                    <option value="">Let the route decide</option>
                    {data.providers.map((entry) => (
                      <option key={entry.id} value={entry.id}>
                        Only {entry.name}
                        {entry.enabled ? '' : ' (disabled)'}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="sy-field">
                  <label htmlFor="playground-system">System prompt</label>
                  <textarea
                    id="playground-system"
                    rows={2}
                    value={system}
                    onChange={(event) => setSystem(event.target.value)}
                  />
                </div>
              </section>
              <section className="card" aria-labelledby="run-title">
                <h2 id="run-title">Last answer</h2>
                {run ? (
                  <dl className="facts" data-testid="run-info">
                    <dt>Served by</dt>
                    <dd data-testid="served-by">
                      {run.provider ?? '—'}
                      {run.model ? ` (${run.model})` : ''}
                    </dd>
                    <dt>Attempts</dt>
                    <dd>{run.attempts ?? '—'}</dd>
                    <dt>Latency</dt>
                    <dd>{formatLatency(run.latencyMs)}</dd>
                    <dt>First token</dt>
                    <dd>{formatLatency(run.firstTokenMs)}</dd>
                    <dt>Tokens</dt>
                    <dd>
                      {run.inputTokens === null
                        ? '—'
                        : `${formatCount(run.inputTokens)} in, ${formatCount(run.outputTokens)} out`}
                    </dd>
                    <dt>Cost</dt>
                    <dd>{run.costUsd === null ? 'no price listed' : formatUsd(run.costUsd)}</dd>
                    {run.cache ? (
                      <>
                        <dt>Cache</dt>
                        <dd>{run.cache}</dd>
                      </>
                    ) : null}
                    {run.finishReason ? (
                      <>
                        <dt>Finish</dt>
                        <dd>{run.finishReason}</dd>
                      </>
                    ) : null}
                    <dt>Request</dt>
                    <dd>{run.requestId ? <Link href={`/logs`}>{run.requestId}</Link> : '—'}</dd>
                  </dl>
                ) : (
                  <p className="sy-hint">
                    {streaming
                      ? 'Waiting for the first byte…'
                      : 'Send a message to see who serves it.'}
                  </p>
                )}
              </section>
            </aside>
          </div>
        )}
      </QueryView>
    </>
  );
}
