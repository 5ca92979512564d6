'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ConfirmButton, formatUsd } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../../trpc/errors.ts';
import {
  ErrorNotice,
  formatTime,
  PageHeader,
  QueryView,
  ReadOnlyNotice,
} from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';
import {
  BodyLoggingSelect,
  type BodyLoggingChoice,
} from '../../../components/body-logging-select.tsx';
import { KeyBodyLogging } from './key-body-logging.tsx';

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <button
      type="button"
      className="sy-button"
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied('yes'),
          () => setCopied('failed'),
        );
      }}
    >
      {copied === 'yes'
        ? 'Copied'
        : copied === 'failed'
          ? 'Copy failed: select the key and copy it'
          : 'Copy'}
    </button>
  );
}

function CreateKeyForm({
  routes,
  onCreated,
  onCancel,
}: {
  routes: string[];
  onCreated: (key: string, name: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [allowed, setAllowed] = useState<string[]>([]);
  const [rpm, setRpm] = useState('');
  const [tpm, setTpm] = useState('');
  const [budget, setBudget] = useState('');
  const [expires, setExpires] = useState('');
  const [logBodies, setLogBodies] = useState<BodyLoggingChoice>('inherit');
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
        onCreated(result.key, result.record.name);
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const number = (value: string) => (value.trim() === '' ? undefined : Number(value));

  function submit(event: FormEvent) {
    event.preventDefault();
    const requestsPerMinute = number(rpm);
    const tokensPerMinute = number(tpm);
    create.mutate({
      name,
      allowedRoutes: allowed,
      ...(requestsPerMinute !== undefined || tokensPerMinute !== undefined
        ? {
            limits: {
              ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
              ...(tokensPerMinute !== undefined ? { tokensPerMinute } : {}),
            },
          }
        : {}),
      ...(number(budget) !== undefined ? { monthlyBudgetUsd: number(budget) } : {}),
      ...(expires ? { expiresAt: new Date(expires) } : {}),
      ...(logBodies === 'inherit' ? {} : { logBodies: logBodies === 'on' }),
    });
  }

  const error = (path: string) =>
    errors[path] ? (
      <span className="sy-field__error" role="alert">
        {errors[path]}
      </span>
    ) : null;
  return (
    <form className="sy-form" onSubmit={submit} noValidate aria-label="New API key">
      <h3 className="sy-form__title">New API key</h3>
      {create.error ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(create.error)}
        </div>
      ) : null}
      <div className="sy-form__grid">
        <div className="sy-field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            name="name"
            value={name}
            placeholder="e.g. support-bot"
            onChange={(event) => setName(event.target.value)}
            aria-invalid={errors.name ? true : undefined}
          />
          {error('name')}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-rpm`}>
            Requests per minute <span className="sy-hint">(blank: no limit)</span>
          </label>
          <input
            id={`${id}-rpm`}
            name="requestsPerMinute"
            inputMode="numeric"
            value={rpm}
            onChange={(event) => setRpm(event.target.value)}
            aria-invalid={errors['limits.requestsPerMinute'] ? true : undefined}
          />
          {error('limits.requestsPerMinute')}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-tpm`}>
            Tokens per minute <span className="sy-hint">(blank: no limit)</span>
          </label>
          <input
            id={`${id}-tpm`}
            name="tokensPerMinute"
            inputMode="numeric"
            value={tpm}
            onChange={(event) => setTpm(event.target.value)}
            aria-invalid={errors['limits.tokensPerMinute'] ? true : undefined}
          />
          {error('limits.tokensPerMinute')}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-budget`}>
            Monthly budget, USD <span className="sy-hint">(blank: none)</span>
          </label>
          <input
            id={`${id}-budget`}
            name="monthlyBudgetUsd"
            inputMode="decimal"
            value={budget}
            onChange={(event) => setBudget(event.target.value)}
            aria-invalid={errors.monthlyBudgetUsd ? true : undefined}
          />
          {error('monthlyBudgetUsd')}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-expires`}>
            Expires <span className="sy-hint">(blank: never)</span>
          </label>
          <input
            id={`${id}-expires`}
            name="expiresAt"
            type="date"
            value={expires}
            onChange={(event) => setExpires(event.target.value)}
          />
          {error('expiresAt')}
        </div>
        <BodyLoggingSelect
          id={`${id}-log-bodies`}
          label="Request and response bodies"
          inherits="the route and Settings"
          value={logBodies}
          onChange={setLogBodies}
        />
      </div>
      <fieldset className="sy-models">
        <legend>Allowed routes</legend>
        <p className="sy-hint">None ticked: the key may use every route and model.</p>
        {routes.length === 0 ? <p className="sy-hint">There are no routes yet.</p> : null}
        <div className="inline-list">
          {routes.map((route) => (
            <label key={route} className="sy-check">
              <input
                type="checkbox"
                checked={allowed.includes(route)}
                onChange={(event) =>
                  setAllowed(
                    event.target.checked
                      ? [...allowed, route]
                      : allowed.filter((name) => name !== route),
                  )
                }
              />
              {route}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="sy-actions">
        <button type="submit" className="sy-button sy-button--primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
        <button type="button" className="sy-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function KeysView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { isAdmin } = useSessionUser();
  const keys = useQuery(trpc.keys.list.queryOptions());
  const routes = useQuery(trpc.routes.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() }),
    }),
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Apps send a key as <code>Authorization: Bearer …</code>. Only a hash is stored: a key is
            shown once, when it is created.
          </>
        }
        actions={
          isAdmin && !creating ? (
            <button
              type="button"
              className="sy-button sy-button--primary"
              onClick={() => {
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
          <strong>Key “{created.name}” created.</strong> Copy it now: it will not be shown again.
          <code data-testid="new-key">{created.key}</code>
          <div className="sy-actions">
            <CopyButton text={created.key} />
            <button type="button" className="sy-button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {creating ? (
        <CreateKeyForm
          routes={(routes.data ?? []).map((route) => route.name)}
          onCancel={() => setCreating(false)}
          onCreated={(key, name) => {
            setCreating(false);
            setCreated({ key, name });
          }}
        />
      ) : null}
      {revoke.error ? <ErrorNotice error={revoke.error} /> : null}
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
                    {isAdmin ? (
                      <th scope="col">
                        <span className="sy-visually-hidden">Actions</span>
                      </th>
                    ) : null}
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
                        <td>
                          {[
                            key.limits?.requestsPerMinute
                              ? `${key.limits.requestsPerMinute} req/min`
                              : null,
                            key.limits?.tokensPerMinute
                              ? `${key.limits.tokensPerMinute} tok/min`
                              : null,
                          ]
                            .filter(Boolean)
                            .join(', ') || 'none'}
                        </td>
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
                        {isAdmin ? (
                          <td>
                            {revoked ? null : (
                              <KeyBodyLogging
                                id={key.id}
                                name={key.name}
                                logBodies={key.logBodies}
                              />
                            )}
                            {revoked ? null : (
                              <ConfirmButton
                                small
                                label="Revoke"
                                question={`Revoke ${key.name}? Apps using it stop working.`}
                                confirmLabel="Yes, revoke"
                                asking={confirm === key.id}
                                onAskingChange={(asking) => setConfirm(asking ? key.id : null)}
                                onConfirm={() => revoke.mutate({ id: key.id })}
                              />
                            )}
                          </td>
                        ) : null}
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
