'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../../trpc/errors.ts';
import type { RouterOutputs } from '../../../server/api/index.ts';

export type KeyRow = RouterOutputs['keys']['list'][number];

/** The text of a number field: blank means none. */
function numberOf(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

function textOf(value: number | undefined | null): string {
  return value === undefined || value === null ? '' : String(value);
}

/** `YYYY-MM-DD` of a stored expiry, for a date input. */
function dateText(value: string | Date | undefined | null): string {
  if (!value) return '';
  return new Date(value).toISOString().slice(0, 10);
}

/**
 * The key form: creates a key, or edits one (`editing`). In an edit, a field left blank clears
 * that limit, the budget or the expiry.
 */
export function KeyForm({
  routes,
  editing,
  onCreated,
  onSaved,
  onCancel,
}: {
  routes: string[];
  editing?: KeyRow;
  onCreated?: (key: string, record: RouterOutputs['keys']['create']['record']) => void;
  onSaved?: (name: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState(editing?.name ?? '');
  const [allowed, setAllowed] = useState<string[]>(editing?.allowedRoutes ?? []);
  const [rpm, setRpm] = useState(textOf(editing?.limits?.requestsPerMinute));
  const [tpm, setTpm] = useState(textOf(editing?.limits?.tokensPerMinute));
  const [concurrency, setConcurrency] = useState(textOf(editing?.limits?.maxConcurrency));
  const [budget, setBudget] = useState(textOf(editing?.monthlyBudgetUsd));
  const [expires, setExpires] = useState(dateText(editing?.expiresAt));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (result) => {
        void invalidate();
        onCreated?.(result.key, result.record);
      },
    }),
  );
  const update = useMutation(
    trpc.keys.update.mutationOptions({
      onSuccess: (record) => {
        void invalidate();
        onSaved?.(record.name);
      },
    }),
  );
  const mutation = editing ? update : create;
  const errors = fieldErrorsOf(mutation.error);

  function limits() {
    const requestsPerMinute = numberOf(rpm);
    const tokensPerMinute = numberOf(tpm);
    const maxConcurrency = numberOf(concurrency);
    if (
      requestsPerMinute === undefined &&
      tokensPerMinute === undefined &&
      maxConcurrency === undefined
    )
      return undefined;
    return {
      ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
      ...(tokensPerMinute !== undefined ? { tokensPerMinute } : {}),
      ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const monthlyBudgetUsd = numberOf(budget);
    const expiresAt = expires ? new Date(expires) : undefined;
    if (editing) {
      update.mutate({
        id: editing.id,
        name,
        allowedRoutes: allowed,
        limits: limits() ?? null,
        monthlyBudgetUsd: monthlyBudgetUsd ?? null,
        expiresAt: expiresAt ?? null,
      });
      return;
    }
    const keyLimits = limits();
    create.mutate({
      name,
      allowedRoutes: allowed,
      ...(keyLimits ? { limits: keyLimits } : {}),
      ...(monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
  }

  const error = (path: string) =>
    errors[path] ? (
      <span className="sy-field__error" role="alert">
        {errors[path]}
      </span>
    ) : null;
  const title = editing ? `Edit key “${editing.name}”` : 'New API key';
  const numberField = (
    field: string,
    label: string,
    value: string,
    setValue: (value: string) => void,
    path: string,
    decimal = false,
  ) => (
    <div className="sy-field">
      <label htmlFor={`${id}-${field}`}>
        {label} <span className="sy-hint">(blank: {decimal ? 'none' : 'no limit'})</span>
      </label>
      <input
        id={`${id}-${field}`}
        name={field}
        inputMode={decimal ? 'decimal' : 'numeric'}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={errors[path] ? true : undefined}
      />
      {error(path)}
    </div>
  );
  return (
    <form className="sy-form" onSubmit={submit} noValidate aria-label={title}>
      <h3 className="sy-form__title">{title}</h3>
      {mutation.error ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(mutation.error)}
        </div>
      ) : null}
      {editing ? (
        <p className="sy-hint">Changes apply to the running gateway as soon as they are saved.</p>
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
        {numberField(
          'requestsPerMinute',
          'Requests per minute',
          rpm,
          setRpm,
          'limits.requestsPerMinute',
        )}
        {numberField('tokensPerMinute', 'Tokens per minute', tpm, setTpm, 'limits.tokensPerMinute')}
        {numberField(
          'maxConcurrency',
          'Requests at once',
          concurrency,
          setConcurrency,
          'limits.maxConcurrency',
        )}
        {numberField(
          'monthlyBudgetUsd',
          'Monthly budget, USD',
          budget,
          setBudget,
          'monthlyBudgetUsd',
          true,
        )}
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
            aria-invalid={errors.expiresAt ? true : undefined}
          />
          {error('expiresAt')}
        </div>
      </div>
      <fieldset className="sy-models">
        <legend>Allowed routes</legend>
        <p className="sy-hint">None ticked: the key may use every route and model.</p>
        {routes.length === 0 ? <p className="sy-hint">There are no routes yet.</p> : null}
        <div className="inline-list">
          {[...new Set([...routes, ...allowed])].map((route) => (
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
        <button
          type="submit"
          className="sy-button sy-button--primary"
          disabled={mutation.isPending}
        >
          {editing
            ? update.isPending
              ? 'Saving…'
              : 'Save changes'
            : create.isPending
              ? 'Creating…'
              : 'Create key'}
        </button>
        <button type="button" className="sy-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
