'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import {
  ErrorNotice,
  formatTime,
  PageHeader,
  QueryView,
  ReadOnlyNotice,
} from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';
import { CopyButton } from './copy-button.tsx';
import { KeyForm, type KeyRow } from './key-form.tsx';
import { KeySnippetsPanel } from './key-snippets-panel.tsx';
import { KeyUsagePanel } from './key-usage-panel.tsx';
import { KeyBodyLogging } from './key-body-logging.tsx';

/** The route the snippets name: one the key may use, else the first route, else `default`. */
function exampleModel(allowedRoutes: readonly string[], routes: readonly string[]): string {
  return allowedRoutes[0] ?? routes[0] ?? 'default';
}

function limitsText(key: KeyRow): string {
  return (
    [
      key.limits?.requestsPerMinute ? `${key.limits.requestsPerMinute} req/min` : null,
      key.limits?.tokensPerMinute ? `${key.limits.tokensPerMinute} tok/min` : null,
      key.limits?.maxConcurrency ? `${key.limits.maxConcurrency} at once` : null,
    ]
      .filter(Boolean)
      .join(', ') || 'none'
  );
}

export function KeysView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin } = useSessionUser();
  const keys = useQuery(trpc.keys.list.queryOptions());
  const routes = useQuery(trpc.routes.list.queryOptions());
  const routeNames = (routes.data ?? []).map((route) => route.name);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [viewingUsage, setViewingUsage] = useState<KeyRow | null>(null);
  const [created, setCreated] = useState<{
    key: string;
    name: string;
    model: string;
    rotated: boolean;
  } | null>(null);
  /** `revoke:<id>` or `rotate:<id>`: one row asks at a time. */
  const [confirm, setConfirm] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSuccess: invalidate }));
  const rotate = useMutation(
    trpc.keys.rotate.mutationOptions({
      onSuccess: (result) => {
        void invalidate();
        setCreated({
          key: result.key,
          name: result.record.name,
          model: exampleModel(result.record.allowedRoutes, routeNames),
          rotated: true,
        });
      },
    }),
  );
  const closeForms = () => {
    setCreating(false);
    setEditing(null);
    setSaved(null);
  };

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Apps send a key as <code>Authorization: Bearer …</code>. Only a hash is stored: a key is
            shown once, when it is created or rotated.
          </>
        }
        actions={
          isAdmin && !creating ? (
            <button
              type="button"
              className="sy-button sy-button--primary"
              onClick={() => {
                closeForms();
                setCreating(true);
                setCreated(null);
              }}
            >
              New key
            </button>
          ) : null
        }
      />
      {!isAdmin ? <ReadOnlyNotice /> : null}
      {created ? (
        <div className="secret-once" role="status">
          <strong>
            {created.rotated
              ? `Key “${created.name}” has a new secret; the old one no longer works.`
              : `Key “${created.name}” created.`}
          </strong>{' '}
          Copy it now: it will not be shown again.
          <code data-testid="new-key">{created.key}</code>
          <CopyButton text={created.key} />
          <KeySnippetsPanel apiKey={created.key} model={created.model} />
          <div className="sy-actions">
            <button type="button" className="sy-button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {saved ? (
        <div className="sy-alert" role="status">
          Saved “{saved}”. The gateway applies the new settings from the next request.
        </div>
      ) : null}
      {creating ? (
        <KeyForm
          routes={routeNames}
          onCancel={() => setCreating(false)}
          onCreated={(key, record) => {
            setCreating(false);
            setCreated({
              key,
              name: record.name,
              model: exampleModel(record.allowedRoutes, routeNames),
              rotated: false,
            });
          }}
        />
      ) : null}
      {editing ? (
        <KeyForm
          key={editing.id}
          routes={routeNames}
          editing={editing}
          onCancel={() => setEditing(null)}
          onSaved={(name) => {
            setEditing(null);
            setSaved(name);
          }}
        />
      ) : null}
      {viewingUsage ? (
        <KeyUsagePanel
          key={viewingUsage.id}
          keyId={viewingUsage.id}
          name={viewingUsage.name}
          onClose={() => setViewingUsage(null)}
        />
      ) : null}
      {revoke.error ? <ErrorNotice error={revoke.error} /> : null}
      {rotate.error ? <ErrorNotice error={rotate.error} /> : null}
      <QueryView query={keys} what="API keys">
        {(list) =>
          list.length === 0 ? (
            <p className="sy-empty">
              No keys yet. Create one for each app that calls the gateway, so you can limit, budget
              and revoke them one by one.
            </p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Routes</th>
                    <th scope="col">Limits</th>
                    <th scope="col" className="num">
                      Spent this month
                    </th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="sy-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((key) => {
                    const revoked = Boolean(key.revokedAt);
                    const expired = key.expiresAt
                      ? new Date(key.expiresAt).getTime() < Date.now()
                      : false;
                    return (
                      <tr key={key.id} data-key={key.name}>
                        <td>{key.name}</td>
                        <td>
                          <code>{key.prefix}…</code>
                        </td>
                        <td>{key.allowedRoutes.length ? key.allowedRoutes.join(', ') : 'all'}</td>
                        <td>{limitsText(key)}</td>
                        <td className="num">
                          {formatUsd(key.monthToDateUsd)}
                          {key.monthlyBudgetUsd !== null && key.monthlyBudgetUsd !== undefined
                            ? ` of ${formatUsd(key.monthlyBudgetUsd)}`
                            : ''}
                        </td>
                        <td>{formatTime(key.lastUsedAt)}</td>
                        <td>
                          {revoked ? (
                            <span className="status-error">revoked</span>
                          ) : expired ? (
                            <span className="status-error">expired</span>
                          ) : (
                            <span className="status-success">active</span>
                          )}
                          {key.expiresAt && !revoked ? (
                            <span className="sy-hint"> until {formatTime(key.expiresAt)}</span>
                          ) : null}
                        </td>
                        <td>
                          <div className="key-actions">
                            <button
                              type="button"
                              className="sy-button sy-button--small"
                              aria-label={`Usage of ${key.name}`}
                              onClick={() => setViewingUsage(key)}
                            >
                              Usage
                            </button>
                            {isAdmin && !revoked ? (
                              <>
                                <KeyBodyLogging
                                  id={key.id}
                                  name={key.name}
                                  logBodies={key.logBodies}
                                />
                                <button
                                  type="button"
                                  className="sy-button sy-button--small"
                                  aria-label={`Edit ${key.name}`}
                                  onClick={() => {
                                    closeForms();
                                    setEditing(key);
                                  }}
                                >
                                  Edit
                                </button>
                                <ConfirmButton
                                  small
                                  label="Rotate"
                                  question={`Give ${key.name} a new secret? The current one stops working at once.`}
                                  confirmLabel="Yes, rotate"
                                  asking={confirm === `rotate:${key.id}`}
                                  onAskingChange={(asking) =>
                                    setConfirm(asking ? `rotate:${key.id}` : null)
                                  }
                                  onConfirm={() => {
                                    closeForms();
                                    rotate.mutate({ id: key.id });
                                  }}
                                />
                                <ConfirmButton
                                  small
                                  label="Revoke"
                                  question={`Revoke ${key.name}? Apps using it stop working.`}
                                  confirmLabel="Yes, revoke"
                                  asking={confirm === `revoke:${key.id}`}
                                  onAskingChange={(asking) =>
                                    setConfirm(asking ? `revoke:${key.id}` : null)
                                  }
                                  onConfirm={() => revoke.mutate({ id: key.id })}
                                />
                              </>
                            ) : null}
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </>
  );
}
