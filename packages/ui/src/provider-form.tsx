'use client';
import { useId, useState, type FormEvent } from 'react';
import type { ProviderInput } from '@switchyard/core';
import type {
  ActionResult,
  DiscoveredModel,
  ProviderTemplateField,
  ProviderTemplateView,
  ProviderView,
} from './types.ts';
import {
  emptyModelRow,
  initialValues,
  isJsonField,
  slugify,
  toProviderInput,
  type FieldErrors,
  type ModelRowValues,
  type ProviderFormValues,
} from './provider-form-values.ts';

export interface ProviderFormProps {
  template: ProviderTemplateView;
  /** Present when editing. */
  provider?: ProviderView;
  nextPriority: number;
  onSubmit: (input: ProviderInput) => Promise<ActionResult>;
  onCancel: () => void;
  /** The provider's models; plain ids, or with the kind and dimensions its listing gives. */
  onDiscoverModels?: (id: string) => Promise<ReadonlyArray<string | DiscoveredModel>>;
  /** The same for the settings typed so far, before the provider is saved. */
  onDiscoverDraftModels?: (
    input: ProviderInput,
  ) => Promise<ReadonlyArray<string | DiscoveredModel>>;
}

function describeDiscovered(model: DiscoveredModel): string {
  if (model.kind !== 'embedding') return 'chat';
  return model.dimensions === undefined ? 'embedding' : `embedding, ${model.dimensions} dimensions`;
}

/** Column names over the model rows (the inputs carry their own labels for screen readers). */
const MODEL_COLUMNS = [
  'Public name',
  'Vendor id',
  'Input $ / 1M',
  'Output $ / 1M',
  'Context',
  'Kind',
  'Dimensions',
];

/** Whether the server holds a value for this write-only field. */
function storedSecret(provider: ProviderView, name: string): boolean {
  if (name === 'apiKey') return provider.hasApiKey;
  if (name === 'config.secretKey') return provider.hasSecretKey;
  if (name === 'config.sessionToken') return provider.hasSessionToken ?? false;
  return false;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={id} className="sy-field__error" role="alert">
      {message}
    </span>
  ) : null;
}

/** Add or edit one provider. Input is kept when the server refuses it. */
export function ProviderForm({
  template,
  provider,
  nextPriority,
  onSubmit,
  onCancel,
  onDiscoverModels,
  onDiscoverDraftModels,
}: ProviderFormProps) {
  const mode = provider ? 'edit' : 'create';
  const formId = useId();
  const [values, setValues] = useState<ProviderFormValues>(() =>
    initialValues(template, nextPriority, provider),
  );
  const [idTouched, setIdTouched] = useState(mode === 'edit');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [discovered, setDiscovered] = useState<DiscoveredModel[] | null>(null);
  const [discoverError, setDiscoverError] = useState<string | null>(null);
  const [discovering, setDiscovering] = useState(false);

  const fieldId = (name: string) => `${formId}-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const describedBy = (name: string) => (errors[name] ? `${fieldId(name)}-error` : undefined);

  const set = (patch: Partial<ProviderFormValues>) =>
    setValues((current) => ({ ...current, ...patch }));
  const setField = (name: string, value: string) =>
    setValues((current) => ({ ...current, fields: { ...current.fields, [name]: value } }));
  const setModel = (index: number, patch: Partial<ModelRowValues>) =>
    setValues((current) => ({
      ...current,
      models: current.models.map((row, rowIndex) =>
        rowIndex === index ? { ...row, ...patch } : row,
      ),
    }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { input, errors: localErrors } = toProviderInput(values, template, mode);
    if (Object.keys(localErrors).length > 0) {
      setErrors(localErrors);
      setSummary('Please correct the highlighted fields.');
      return;
    }
    setSaving(true);
    setSummary(null);
    try {
      const result = await onSubmit(input);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setSummary(result.message);
      }
    } catch (error) {
      setSummary(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  }

  const canDiscover = provider
    ? onDiscoverModels !== undefined
    : onDiscoverDraftModels !== undefined;

  async function discover() {
    setDiscoverError(null);
    let listing: () => Promise<ReadonlyArray<string | DiscoveredModel>>;
    if (provider && onDiscoverModels) listing = () => onDiscoverModels(provider.id);
    else if (!provider && onDiscoverDraftModels) {
      const { input, errors: localErrors } = toProviderInput(values, template, 'create');
      if (Object.keys(localErrors).length > 0) {
        setErrors(localErrors);
        setDiscoverError('correct the highlighted fields first.');
        return;
      }
      listing = () => onDiscoverDraftModels(input);
    } else return;
    setDiscovering(true);
    try {
      const models = await listing();
      setDiscovered(models.map((model) => (typeof model === 'string' ? { id: model } : model)));
    } catch (error) {
      setDiscoverError(error instanceof Error ? error.message : String(error));
    } finally {
      setDiscovering(false);
    }
  }

  const known = new Set(values.models.map((row) => row.id || row.name));
  const unknownErrors = Object.entries(errors).filter(
    ([path]) =>
      !['id', 'name', 'endpoint', 'priority', 'weight'].includes(path) &&
      !template.fields.some((field) => field.name === path) &&
      !path.startsWith('models['),
  );

  const renderTemplateField = (field: ProviderTemplateField) => {
    if (field.name === 'endpoint') return null;
    const id = fieldId(field.name);
    const stored = field.secret && provider !== undefined && storedSecret(provider, field.name);
    const clearing = values.clearSecrets.includes(field.name);
    const common = {
      id,
      name: field.name,
      value: values.fields[field.name] ?? '',
      'aria-invalid': errors[field.name] ? true : undefined,
      'aria-describedby':
        [
          describedBy(field.name),
          stored ? `${id}-stored` : undefined,
          field.hint ? `${id}-hint` : undefined,
        ]
          .filter(Boolean)
          .join(' ') || undefined,
    };
    return (
      <div className="sy-field" key={field.name}>
        <label htmlFor={id}>
          {field.label}
          {field.required && !stored ? <span className="sy-required"> (required)</span> : null}
        </label>
        {isJsonField(field.name) ? (
          <textarea
            {...common}
            rows={6}
            spellCheck={false}
            placeholder={field.placeholder}
            onChange={(event) => setField(field.name, event.target.value)}
          />
        ) : (
          <input
            {...common}
            type={field.secret ? 'password' : 'text'}
            autoComplete={field.secret ? 'new-password' : 'off'}
            disabled={clearing}
            placeholder={stored ? '•••••••• (stored)' : field.placeholder}
            onChange={(event) => setField(field.name, event.target.value)}
          />
        )}
        {field.hint ? (
          <span className="sy-hint" id={`${id}-hint`}>
            {field.hint}
          </span>
        ) : null}
        {stored ? (
          <span className="sy-hint" id={`${id}-stored`}>
            A value is stored; leave this blank to keep it.
          </span>
        ) : null}
        {stored ? (
          <label className="sy-check">
            <input
              type="checkbox"
              checked={clearing}
              onChange={(event) =>
                set({
                  clearSecrets: event.target.checked
                    ? [...values.clearSecrets, field.name]
                    : values.clearSecrets.filter((name) => name !== field.name),
                })
              }
            />
            Remove the stored value
          </label>
        ) : null}
        <FieldError id={`${id}-error`} message={errors[field.name]} />
      </div>
    );
  };

  return (
    <form
      className="sy-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={
        mode === 'edit' ? `Edit ${provider?.name ?? ''}` : `Add ${template.label} provider`
      }
    >
      <h3 className="sy-form__title">
        {mode === 'edit' ? `Edit ${provider?.name ?? ''}` : `New ${template.label} provider`}
      </h3>
      {template.docs ? (
        <p className="sy-hint">
          <a href={template.docs} target="_blank" rel="noreferrer">
            {template.label} API documentation
          </a>
        </p>
      ) : null}
      {summary ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {summary}
          {unknownErrors.length > 0 ? (
            <ul>
              {unknownErrors.map(([path, message]) => (
                <li key={path}>
                  <code>{path}</code>: {message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="sy-form__grid">
        <div className="sy-field">
          <label htmlFor={fieldId('name')}>Name</label>
          <input
            id={fieldId('name')}
            name="name"
            value={values.name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy('name')}
            onChange={(event) =>
              set({
                name: event.target.value,
                ...(idTouched ? {} : { id: slugify(event.target.value) }),
              })
            }
          />
          <FieldError id={`${fieldId('name')}-error`} message={errors.name} />
        </div>
        <div className="sy-field">
          <label htmlFor={fieldId('id')}>Id</label>
          <input
            id={fieldId('id')}
            name="id"
            value={values.id}
            readOnly={mode === 'edit'}
            aria-invalid={errors.id ? true : undefined}
            aria-describedby={describedBy('id')}
            onChange={(event) => {
              setIdTouched(true);
              set({ id: event.target.value });
            }}
          />
          <FieldError id={`${fieldId('id')}-error`} message={errors.id} />
        </div>
        <div className="sy-field sy-field--wide">
          <label htmlFor={fieldId('endpoint')}>
            Endpoint
            {template.defaultEndpoint ? (
              <span className="sy-hint"> (default {template.defaultEndpoint})</span>
            ) : null}
          </label>
          <input
            id={fieldId('endpoint')}
            name="endpoint"
            type="url"
            value={values.endpoint}
            placeholder={
              template.defaultEndpoint ??
              template.fields.find((field) => field.name === 'endpoint')?.placeholder ??
              'https://'
            }
            aria-invalid={errors.endpoint ? true : undefined}
            aria-describedby={describedBy('endpoint')}
            onChange={(event) => set({ endpoint: event.target.value })}
          />
          <FieldError id={`${fieldId('endpoint')}-error`} message={errors.endpoint} />
        </div>
        {template.fields.map(renderTemplateField)}
        <div className="sy-field">
          <label htmlFor={fieldId('priority')}>Priority (lower runs first)</label>
          <input
            id={fieldId('priority')}
            name="priority"
            inputMode="numeric"
            value={values.priority}
            aria-invalid={errors.priority ? true : undefined}
            onChange={(event) => set({ priority: event.target.value })}
          />
          <FieldError id={`${fieldId('priority')}-error`} message={errors.priority} />
        </div>
        <div className="sy-field">
          <label htmlFor={fieldId('weight')}>Weight</label>
          <input
            id={fieldId('weight')}
            name="weight"
            inputMode="decimal"
            value={values.weight}
            aria-invalid={errors.weight ? true : undefined}
            onChange={(event) => set({ weight: event.target.value })}
          />
          <FieldError id={`${fieldId('weight')}-error`} message={errors.weight} />
        </div>
        <label className="sy-check sy-field--wide">
          <input
            type="checkbox"
            name="enabled"
            checked={values.enabled}
            onChange={(event) => set({ enabled: event.target.checked })}
          />
          Enabled
        </label>
      </div>

      <fieldset className="sy-models">
        <legend>Models</legend>
        <p className="sy-hint">
          Public names clients send as <code>model</code>, the vendor&apos;s model id, prices per
          million tokens, and for embedding models the length of their vectors.
        </p>
        {values.models.length === 0 ? (
          <p className="sy-empty">
            No models listed: requests name the vendor model directly, or use a route.
          </p>
        ) : (
          <div className="sy-models__row sy-models__head" aria-hidden="true">
            {MODEL_COLUMNS.map((column) => (
              <span key={column}>{column}</span>
            ))}
            <span />
          </div>
        )}
        {values.models.map((row, index) => {
          const at = `models[${index}]`;
          return (
            <div className="sy-models__row" key={index}>
              <input
                aria-label={`Model ${index + 1} public name`}
                placeholder="public name"
                value={row.name}
                onChange={(event) => setModel(index, { name: event.target.value })}
              />
              <input
                aria-label={`Model ${index + 1} vendor id`}
                placeholder="vendor id (optional)"
                value={row.id}
                onChange={(event) => setModel(index, { id: event.target.value })}
              />
              <input
                aria-label={`Model ${index + 1} input price per million tokens`}
                placeholder="$ in / 1M"
                inputMode="decimal"
                value={row.inputPricePerMTok}
                onChange={(event) => setModel(index, { inputPricePerMTok: event.target.value })}
              />
              <input
                aria-label={`Model ${index + 1} output price per million tokens`}
                placeholder="$ out / 1M"
                inputMode="decimal"
                value={row.outputPricePerMTok}
                onChange={(event) => setModel(index, { outputPricePerMTok: event.target.value })}
              />
              <input
                aria-label={`Model ${index + 1} context window`}
                placeholder="context"
                inputMode="numeric"
                value={row.contextWindow}
                onChange={(event) => setModel(index, { contextWindow: event.target.value })}
              />
              <select
                aria-label={`Model ${index + 1} kind`}
                value={row.kind || 'chat'}
                onChange={(event) =>
                  setModel(index, {
                    kind: event.target.value === 'embedding' ? 'embedding' : '',
                    // dimensions describe embedding models only
                    ...(event.target.value === 'embedding' ? {} : { dimensions: '' }),
                  })
                }
              >
                <option value="chat">chat</option>
                <option value="embedding">embedding</option>
              </select>
              <input
                aria-label={`Model ${index + 1} dimensions`}
                placeholder="dimensions"
                inputMode="numeric"
                value={row.kind === 'embedding' ? row.dimensions : ''}
                disabled={row.kind !== 'embedding'}
                onChange={(event) => setModel(index, { dimensions: event.target.value })}
              />
              <button
                type="button"
                className="sy-button sy-button--ghost"
                onClick={() =>
                  set({ models: values.models.filter((_, rowIndex) => rowIndex !== index) })
                }
              >
                Remove
              </button>
              {Object.entries(errors)
                .filter(([path]) => path.startsWith(at))
                .map(([path, message]) => (
                  <span key={path} className="sy-field__error" role="alert">
                    {path.slice(at.length + 1) || 'model'}: {message}
                  </span>
                ))}
            </div>
          );
        })}
        <div className="sy-actions">
          <button
            type="button"
            className="sy-button"
            onClick={() => set({ models: [...values.models, emptyModelRow()] })}
          >
            Add model
          </button>
          {canDiscover ? (
            <button
              type="button"
              className="sy-button"
              onClick={() => void discover()}
              disabled={discovering}
            >
              {discovering ? 'Asking the provider…' : 'Discover models'}
            </button>
          ) : null}
        </div>
        {discoverError ? (
          <p className="sy-field__error" role="alert">
            Model discovery failed: {discoverError}
          </p>
        ) : null}
        {discovered ? (
          <div className="sy-discovered" aria-live="polite">
            {discovered.length === 0 ? (
              <p className="sy-empty">The provider listed no models.</p>
            ) : (
              <>
                <div className="sy-actions">
                  <p style={{ margin: 0 }}>
                    {discovered.length} models offered by the provider — add the ones clients may
                    use:
                  </p>
                  <button
                    type="button"
                    className="sy-button sy-button--small"
                    disabled={discovered.every((model) => known.has(model.id))}
                    onClick={() =>
                      set({
                        models: [
                          ...values.models,
                          ...discovered
                            .filter((model) => !known.has(model.id))
                            .map((model) => emptyModelRow(model)),
                        ],
                      })
                    }
                  >
                    Add all
                  </button>
                </div>
                <ul>
                  {discovered.map((model) => (
                    <li key={model.id}>
                      <button
                        type="button"
                        className="sy-button sy-button--small"
                        disabled={known.has(model.id)}
                        aria-label={`${known.has(model.id) ? 'Added' : 'Add'} ${model.id}`}
                        onClick={() => set({ models: [...values.models, emptyModelRow(model)] })}
                      >
                        {known.has(model.id) ? 'Added' : 'Add'}
                      </button>{' '}
                      <code>{model.id}</code>
                      <span className="sy-hint"> {describeDiscovered(model)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ) : null}
      </fieldset>

      <div className="sy-actions">
        <button type="submit" className="sy-button sy-button--primary" disabled={saving}>
          {saving ? 'Saving…' : mode === 'edit' ? 'Save changes' : 'Add provider'}
        </button>
        <button type="button" className="sy-button" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
