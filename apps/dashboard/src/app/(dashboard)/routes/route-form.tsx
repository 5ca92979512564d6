'use client';
import { useId, useState, type FormEvent } from 'react';
import type { ActionResult } from '@switchyard/ui';
import type { RouterInputs, RouterOutputs } from '../../../server/api/index.ts';
import {
  BodyLoggingSelect,
  bodyLoggingChoice,
  type BodyLoggingChoice,
} from '../../../components/body-logging-select.tsx';

type RouteRecord = RouterOutputs['routes']['list'][number];
type RouteInput = RouterInputs['routes']['upsert'];

const STRATEGIES = [
  { value: '', label: 'Global default (Settings)' },
  { value: 'priority', label: 'Priority: in order, next on failure' },
  { value: 'round-robin', label: 'Round-robin' },
  { value: 'weighted', label: 'Weighted by target weight' },
  { value: 'health-based', label: 'Health-based: fastest healthy' },
  { value: 'least-busy', label: 'Least busy' },
  { value: 'cost', label: 'Cheapest healthy' },
] as const;

const KINDS = [
  { value: 'chat', label: 'Chat (chat completions, Responses, Messages)' },
  { value: 'embedding', label: 'Embeddings (/v1/embeddings)' },
] as const;

type RouteKind = (typeof KINDS)[number]['value'];

interface TargetRow {
  provider: string;
  model: string;
  weight: string;
}

export interface RouteFormValues {
  name: string;
  kind: RouteKind;
  strategy: string;
  targets: TargetRow[];
  fallbacks: string[];
  contextLengthFallback: string;
  retryAttempts: string;
  retryDelay: string;
  timeout: string;
  firstTokenTimeout: string;
  maxTokens: string;
  cacheEnabled: boolean;
  cacheTtlSeconds: string;
  logBodies: BodyLoggingChoice;
}

type NumberField =
  | 'retryAttempts'
  | 'retryDelay'
  | 'timeout'
  | 'firstTokenTimeout'
  | 'maxTokens'
  | 'cacheTtlSeconds';

function text(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function initialRouteValues(route: RouteRecord | undefined): RouteFormValues {
  return {
    name: route?.name ?? '',
    kind: route?.kind ?? 'chat',
    strategy: route?.strategy ?? '',
    targets: (route?.targets ?? []).map((target) => ({
      provider: target.provider,
      model: target.model ?? '',
      weight: String(target.weight ?? 1),
    })),
    fallbacks: route?.fallbacks ?? [],
    contextLengthFallback: route?.contextLengthFallback ?? '',
    retryAttempts: text(route?.retryAttempts),
    retryDelay: text(route?.retryDelay),
    timeout: text(route?.timeout),
    firstTokenTimeout: text(route?.firstTokenTimeout),
    maxTokens: text(route?.maxTokens),
    cacheEnabled: route?.cache?.enabled ?? false,
    cacheTtlSeconds: text(route?.cache?.ttlSeconds ?? 300),
    logBodies: bodyLoggingChoice(route?.logBodies),
  };
}

/** The route to send, or field errors for numbers that are not numbers. */
export function toRouteInput(values: RouteFormValues): {
  input: RouteInput;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const number = (raw: string, path: string): number | undefined => {
    if (raw.trim() === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) errors[path] = 'must be a number';
    return Number.isFinite(value) ? value : undefined;
  };
  const optional = <K extends string>(key: K, value: number | undefined) =>
    value === undefined ? {} : { [key]: value };
  const input: RouteInput = {
    name: values.name.trim(),
    // chat is the default, stored as no kind at all
    ...(values.kind === 'embedding' ? { kind: 'embedding' as const } : {}),
    targets: values.targets.map((target, index) => ({
      provider: target.provider,
      ...(target.model.trim() ? { model: target.model.trim() } : {}),
      weight: number(target.weight, `targets[${index}].weight`) ?? 1,
    })),
    fallbacks: values.fallbacks,
    ...(values.strategy
      ? { strategy: values.strategy as NonNullable<RouteInput['strategy']> }
      : {}),
    ...(values.contextLengthFallback
      ? { contextLengthFallback: values.contextLengthFallback }
      : {}),
    ...optional('retryAttempts', number(values.retryAttempts, 'retryAttempts')),
    ...optional('retryDelay', number(values.retryDelay, 'retryDelay')),
    ...optional('timeout', number(values.timeout, 'timeout')),
    ...optional('firstTokenTimeout', number(values.firstTokenTimeout, 'firstTokenTimeout')),
    ...optional('maxTokens', number(values.maxTokens, 'maxTokens')),
    ...(values.cacheEnabled
      ? {
          cache: {
            enabled: true,
            ttlSeconds: number(values.cacheTtlSeconds, 'cache.ttlSeconds') ?? 300,
          },
        }
      : {}),
    ...(values.logBodies === 'inherit' ? {} : { logBodies: values.logBodies === 'on' }),
  };
  return { input, errors };
}

export function RouteForm({
  route,
  providers,
  routeNames,
  onSubmit,
  onCancel,
}: {
  route?: RouteRecord;
  providers: ReadonlyArray<{ id: string; name: string }>;
  routeNames: ReadonlyArray<string>;
  onSubmit: (input: RouteInput) => Promise<ActionResult>;
  onCancel: () => void;
}) {
  const id = useId();
  const [values, setValues] = useState<RouteFormValues>(() => initialRouteValues(route));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<RouteFormValues>) =>
    setValues((current) => ({ ...current, ...patch }));
  const setTarget = (index: number, patch: Partial<TargetRow>) =>
    set({
      targets: values.targets.map((target, targetIndex) =>
        targetIndex === index ? { ...target, ...patch } : target,
      ),
    });
  const moveTarget = (index: number, offset: -1 | 1) => {
    const targets = [...values.targets];
    const [moved] = targets.splice(index, 1);
    if (!moved) return;
    targets.splice(index + offset, 0, moved);
    set({ targets });
  };
  const otherRoutes = routeNames.filter((name) => name !== values.name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { input, errors: local } = toRouteInput(values);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setSummary('Please correct the highlighted fields.');
      return;
    }
    setSaving(true);
    const result = await onSubmit(input);
    setSaving(false);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setSummary(result.message);
    }
  }

  const field = (name: NumberField, label: string, hint?: string) => (
    <div className="sy-field">
      <label htmlFor={`${id}-${name}`}>
        {label}
        {hint ? <span className="sy-hint"> {hint}</span> : null}
      </label>
      <input
        id={`${id}-${name}`}
        name={name}
        inputMode="numeric"
        value={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(event) => set({ [name]: event.target.value })}
      />
      {errors[name] ? (
        <span className="sy-field__error" role="alert">
          {errors[name]}
        </span>
      ) : null}
    </div>
  );

  return (
    <form
      className="sy-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={route ? `Edit route ${route.name}` : 'New route'}
    >
      <h3 className="sy-form__title">{route ? `Edit route ${route.name}` : 'New route'}</h3>
      {summary ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {summary}
        </div>
      ) : null}
      <div className="sy-form__grid">
        <div className="sy-field">
          <label htmlFor={`${id}-name`}>
            Name{' '}
            <span className="sy-hint">
              (clients send it as <code>model</code>)
            </span>
          </label>
          <input
            id={`${id}-name`}
            name="name"
            value={values.name}
            readOnly={Boolean(route)}
            aria-invalid={errors.name ? true : undefined}
            onChange={(event) => set({ name: event.target.value })}
          />
          {errors.name ? (
            <span className="sy-field__error" role="alert">
              {errors.name}
            </span>
          ) : null}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-kind`}>
            Kind{' '}
            <span className="sy-hint">
              (embedding routes fail over only between equivalent targets)
            </span>
          </label>
          <select
            id={`${id}-kind`}
            name="kind"
            value={values.kind}
            onChange={(event) =>
              set({ kind: event.target.value === 'embedding' ? 'embedding' : 'chat' })
            }
          >
            {KINDS.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-strategy`}>Strategy</label>
          <select
            id={`${id}-strategy`}
            name="strategy"
            value={values.strategy}
            onChange={(event) => set({ strategy: event.target.value })}
          >
            {STRATEGIES.map((strategy) => (
              <option key={strategy.value} value={strategy.value}>
                {strategy.label}
              </option>
            ))}
          </select>
        </div>
      </div>

      <fieldset className="sy-models">
        <legend>Targets</legend>
        <p className="sy-hint">
          Tried in this order (or by weight). No targets: every enabled provider, by priority.
        </p>
        {values.targets.map((target, index) => (
          <div className="route-target" key={index}>
            <select
              aria-label={`Target ${index + 1} provider`}
              value={target.provider}
              onChange={(event) => setTarget(index, { provider: event.target.value })}
            >
              {providers.map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name}
                </option>
              ))}
            </select>
            <input
              aria-label={`Target ${index + 1} model`}
              placeholder="model (optional)"
              value={target.model}
              onChange={(event) => setTarget(index, { model: event.target.value })}
            />
            <input
              aria-label={`Target ${index + 1} weight`}
              placeholder="weight"
              inputMode="decimal"
              value={target.weight}
              onChange={(event) => setTarget(index, { weight: event.target.value })}
            />
            <button
              type="button"
              className="sy-button sy-button--icon"
              aria-label={`Move target ${index + 1} up`}
              disabled={index === 0}
              onClick={() => moveTarget(index, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="sy-button sy-button--icon"
              aria-label={`Move target ${index + 1} down`}
              disabled={index === values.targets.length - 1}
              onClick={() => moveTarget(index, 1)}
            >
              ↓
            </button>
            <button
              type="button"
              className="sy-button sy-button--ghost"
              onClick={() =>
                set({ targets: values.targets.filter((_, targetIndex) => targetIndex !== index) })
              }
            >
              Remove
            </button>
            {Object.entries(errors)
              .filter(([path]) => path.startsWith(`targets[${index}]`))
              .map(([path, message]) => (
                <span key={path} className="sy-field__error sy-field--wide" role="alert">
                  {message}
                </span>
              ))}
          </div>
        ))}
        <button
          type="button"
          className="sy-button"
          disabled={providers.length === 0}
          onClick={() =>
            set({
              targets: [
                ...values.targets,
                { provider: providers[0]?.id ?? '', model: '', weight: '1' },
              ],
            })
          }
        >
          Add target
        </button>
      </fieldset>

      <fieldset className="sy-models">
        <legend>Fallbacks</legend>
        <p className="sy-hint">Routes tried, in order, when every target failed.</p>
        {values.fallbacks.length === 0 ? <p className="sy-hint">None.</p> : null}
        <ol>
          {values.fallbacks.map((fallback, index) => (
            <li key={fallback}>
              <code>{fallback}</code>{' '}
              <button
                type="button"
                className="sy-button sy-button--small"
                onClick={() =>
                  set({ fallbacks: values.fallbacks.filter((name) => name !== fallback) })
                }
              >
                Remove
              </button>
              {errors[`fallbacks[${index}]`] ? (
                <span className="sy-field__error" role="alert">
                  {' '}
                  {errors[`fallbacks[${index}]`]}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
        {otherRoutes.filter((name) => !values.fallbacks.includes(name)).length > 0 ? (
          <select
            aria-label="Add a fallback route"
            value=""
            onChange={(event) =>
              event.target.value && set({ fallbacks: [...values.fallbacks, event.target.value] })
            }
          >
            <option value="">Add a fallback route…</option>
            {otherRoutes
              .filter((name) => !values.fallbacks.includes(name))
              .map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
          </select>
        ) : null}
        <div className="sy-field">
          <label htmlFor={`${id}-clf`}>When the request is too long for this route</label>
          <select
            id={`${id}-clf`}
            value={values.contextLengthFallback}
            onChange={(event) => set({ contextLengthFallback: event.target.value })}
          >
            <option value="">Answer with the error</option>
            {otherRoutes.map((name) => (
              <option key={name} value={name}>
                Use route {name}
              </option>
            ))}
          </select>
          {errors.contextLengthFallback ? (
            <span className="sy-field__error" role="alert">
              {errors.contextLengthFallback}
            </span>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="sy-models">
        <legend>Retries, timeouts and cache</legend>
        <p className="sy-hint">Blank: the global settings apply.</p>
        <div className="sy-form__grid">
          {field('retryAttempts', 'Retry attempts')}
          {field('retryDelay', 'Retry delay', '(ms)')}
          {field('timeout', 'Attempt timeout', '(ms)')}
          {field('firstTokenTimeout', 'First-token timeout', '(ms)')}
          {field('maxTokens', 'Largest max_tokens allowed')}
          <label className="sy-check">
            <input
              type="checkbox"
              checked={values.cacheEnabled}
              onChange={(event) => set({ cacheEnabled: event.target.checked })}
            />
            Cache identical requests
          </label>
          {values.cacheEnabled ? field('cacheTtlSeconds', 'Cache lifetime', '(seconds)') : null}
          <BodyLoggingSelect
            id={`${id}-log-bodies`}
            label="Request and response bodies"
            inherits="Settings"
            value={values.logBodies}
            onChange={(logBodies) => set({ logBodies })}
          />
        </div>
      </fieldset>

      <div className="sy-actions">
        <button type="submit" className="sy-button sy-button--primary" disabled={saving}>
          {saving ? 'Saving…' : route ? 'Save route' : 'Create route'}
        </button>
        <button type="button" className="sy-button" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
