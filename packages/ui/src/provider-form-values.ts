// The provider form's state and its conversion to the config shape the server validates.
// Kept apart from the component so the rules (write-only secrets, JSON settings, numbers) are
// tested without a browser.
import type { ModelKind, ProviderInput } from '@switchyard/core';
import type {
  DiscoveredModel,
  ModelView,
  ProviderTemplateField,
  ProviderTemplateView,
  ProviderView,
} from './types.ts';

export interface ModelRowValues {
  name: string;
  id: string;
  inputPricePerMTok: string;
  outputPricePerMTok: string;
  contextWindow: string;
  /** '' for the default (chat). */
  kind: '' | ModelKind;
  dimensions: string;
  /** Not edited in the form, but kept so an edit does not drop it. */
  space: string;
}

export interface ProviderFormValues {
  id: string;
  name: string;
  type: ProviderTemplateView['type'];
  endpoint: string;
  priority: string;
  weight: string;
  enabled: boolean;
  /** Template fields by name (`apiKey`, `config.region`, …). Secrets start empty. */
  fields: Record<string, string>;
  /** Secret fields the operator asked to remove. */
  clearSecrets: string[];
  models: ModelRowValues[];
}

/** Settings whose value is JSON rather than a string. */
const JSON_FIELDS = new Set(['config.customFormat', 'config.headers']);
const NUMBER_FIELDS = new Set(['config.defaultMaxTokens']);

export function isJsonField(name: string): boolean {
  return JSON_FIELDS.has(name);
}

/** A provider id from a display name: "My OpenAI" → "my-openai". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function readSetting(
  config: Record<string, unknown> | null | undefined,
  field: ProviderTemplateField,
): string {
  if (!field.name.startsWith('config.')) return '';
  const value = config?.[field.name.slice('config.'.length)];
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function modelRow(model: ModelView): ModelRowValues {
  const text = (value: number | undefined) => (value === undefined ? '' : String(value));
  return {
    name: model.name,
    id: model.id ?? '',
    inputPricePerMTok: text(model.inputPricePerMTok),
    outputPricePerMTok: text(model.outputPricePerMTok),
    contextWindow: text(model.contextWindow),
    kind: model.kind ?? '',
    dimensions: text(model.dimensions),
    space: model.space ?? '',
  };
}

/** A new row; a discovered model brings what its listing says (kind, dimensions, context window). */
export function emptyModelRow(from: string | DiscoveredModel = ''): ModelRowValues {
  const model = typeof from === 'string' ? { id: from } : from;
  return {
    name: model.id,
    id: '',
    inputPricePerMTok: '',
    outputPricePerMTok: '',
    contextWindow: model.contextWindow === undefined ? '' : String(model.contextWindow),
    kind: model.kind ?? '',
    dimensions: model.dimensions === undefined ? '' : String(model.dimensions),
    space: '',
  };
}

export function initialValues(
  template: ProviderTemplateView,
  nextPriority: number,
  provider?: ProviderView,
): ProviderFormValues {
  const fields: Record<string, string> = {};
  for (const field of template.fields) {
    if (field.name === 'endpoint') continue;
    fields[field.name] = provider
      ? field.secret
        ? ''
        : readSetting(provider.config, field)
      : (field.defaultValue ?? '');
  }
  return {
    id: provider?.id ?? '',
    name: provider?.name ?? '',
    type: template.type,
    endpoint: provider?.endpoint ?? '',
    priority: String(provider?.priority ?? nextPriority),
    weight: String(provider?.weight ?? 1),
    enabled: provider?.enabled ?? true,
    fields,
    clearSecrets: [],
    models: (provider?.models ?? []).map(modelRow),
  };
}

export type FieldErrors = Record<string, string>;

function parseNumber(
  text: string,
  path: string,
  errors: FieldErrors,
  options: { integer?: boolean } = {},
): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
    errors[path] = options.integer ? 'must be a whole number' : 'must be a number';
    return undefined;
  }
  return value;
}

/**
 * The provider config to send. On edit, a secret left blank is omitted (kept on the server),
 * a cleared one is sent as '' (removed), a typed one replaces the stored value.
 * Returns field errors for values that cannot even be converted (bad numbers, bad JSON);
 * everything else is left to the server's schema, whose messages the form shows.
 */
export function toProviderInput(
  values: ProviderFormValues,
  template: ProviderTemplateView,
  mode: 'create' | 'edit',
): { input: ProviderInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const config: Record<string, unknown> = {};
  let apiKey: string | undefined;
  for (const field of template.fields) {
    if (field.name === 'endpoint') continue;
    const raw = values.fields[field.name] ?? '';
    let value: unknown = raw.trim() === '' ? undefined : raw.trim();
    if (field.secret) {
      if (values.clearSecrets.includes(field.name)) value = '';
      else if (value === undefined) continue;
    } else if (value !== undefined && isJsonField(field.name)) {
      try {
        value = JSON.parse(raw) as unknown;
      } catch {
        errors[field.name] = 'must be valid JSON';
        continue;
      }
    } else if (value !== undefined && NUMBER_FIELDS.has(field.name)) {
      value = parseNumber(raw, field.name, errors, { integer: true });
    }
    if (field.name === 'apiKey') apiKey = value as string | undefined;
    else if (field.name.startsWith('config.')) {
      if (value !== undefined || mode === 'edit')
        config[field.name.slice('config.'.length)] = value;
    }
  }
  const models = values.models
    .filter((row) => row.name.trim() !== '' || row.id.trim() !== '')
    .map((row, index) => {
      const at = `models[${index}]`;
      const model: ModelView = { name: row.name.trim() || row.id.trim() };
      if (row.id.trim()) model.id = row.id.trim();
      const input = parseNumber(row.inputPricePerMTok, `${at}.inputPricePerMTok`, errors);
      const output = parseNumber(row.outputPricePerMTok, `${at}.outputPricePerMTok`, errors);
      const context = parseNumber(row.contextWindow, `${at}.contextWindow`, errors, {
        integer: true,
      });
      if (input !== undefined) model.inputPricePerMTok = input;
      if (output !== undefined) model.outputPricePerMTok = output;
      if (context !== undefined) model.contextWindow = context;
      if (row.kind) model.kind = row.kind;
      const dimensions = parseNumber(row.dimensions, `${at}.dimensions`, errors, {
        integer: true,
      });
      if (dimensions !== undefined) model.dimensions = dimensions;
      if (row.space.trim()) model.space = row.space.trim();
      return model;
    });
  const priority = parseNumber(values.priority, 'priority', errors, { integer: true });
  const weight = parseNumber(values.weight, 'weight', errors);
  const input: ProviderInput = {
    id: values.id.trim(),
    name: values.name.trim(),
    type: values.type,
    enabled: values.enabled,
    models,
    ...(values.endpoint.trim() ? { endpoint: values.endpoint.trim() } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(weight !== undefined ? { weight } : {}),
  };
  return { input, errors };
}
