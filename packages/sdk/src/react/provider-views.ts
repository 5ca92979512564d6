// What the service-bound components hand to @switchyard/ui and back: CloudConfig providers as the
// presentational components' view models (secrets reduced to `has…` flags), the form's patches as
// the service's, the services' health as badges, and their errors as form results. Plain
// functions, so the rules are tested without a DOM.
import {
  ConfigError,
  providerSchema,
  type ProviderHealth,
  type ProviderTemplate,
} from '@switchyard/core';
import {
  deriveHealthStatus,
  type ActionResult,
  type InferenceProviderChoice,
  type ProviderTemplateView,
  type ProviderView,
  type SelectorHealth,
} from '@switchyard/ui';
import type { CloudProvider } from '../seed-types.ts';

/** The selector's two groups, as `inferenceService.getHealthStatus()` keys them. */
export const HEALTH_GROUPS = ['lm-studio', 'cloud'] as const;

export type GroupHealth = Partial<Record<(typeof HEALTH_GROUPS)[number], SelectorHealth>>;

/** The defaults core fills in for a provider that leaves them out. */
function providerDefaults(): { priority: number; enabled: boolean; weight: number } {
  return providerSchema.parse({ id: 'defaults', name: 'defaults', type: 'defaults' });
}

/** The `config.*` settings the type's templates mark secret, by their key in `config`. */
function secretSettings(type: string, templates: ReadonlyArray<ProviderTemplate>): Set<string> {
  const fields = templates.find((template) => template.type === type)?.fields ?? [];
  return new Set(
    fields
      .filter((field) => field.secret && field.name.startsWith('config.'))
      .map((field) => field.name.slice('config.'.length)),
  );
}

/** A provider as the manager shows it: every setting except the secrets, which become flags. */
export function toProviderView(
  provider: CloudProvider,
  templates: ReadonlyArray<ProviderTemplate>,
): ProviderView {
  const defaults = providerDefaults();
  const secrets = secretSettings(provider.type, templates);
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(provider.config ?? {}))
    if (!secrets.has(key)) config[key] = value;
  const view: ProviderView = {
    id: provider.id,
    name: provider.name,
    type: provider.type,
    endpoint: provider.endpoint ?? null,
    priority: provider.priority ?? defaults.priority,
    enabled: provider.enabled ?? defaults.enabled,
    weight: provider.weight ?? defaults.weight,
    hasApiKey: Boolean(provider.apiKey),
    hasSecretKey: Boolean(provider.config?.secretKey),
    hasSessionToken: Boolean(provider.config?.sessionToken),
    config,
  };
  if (provider.models) view.models = provider.models;
  return view;
}

/** Core's templates carry a health check the form does not show; the rest is the view as is. */
export function toTemplateView(template: ProviderTemplate): ProviderTemplateView {
  const view: ProviderTemplateView = {
    type: template.type,
    label: template.label,
    fields: template.fields,
  };
  if (template.defaultEndpoint !== undefined) view.defaultEndpoint = template.defaultEndpoint;
  if (template.docs !== undefined) view.docs = template.docs;
  return view;
}

/**
 * The form's edit as a service patch. The form sends a secret it cleared as '' and leaves out the
 * ones it keeps; the service removes a setting that is undefined, so '' becomes undefined.
 */
export function toServicePatch(patch: Partial<CloudProvider>): Partial<CloudProvider> {
  const result: Partial<CloudProvider> = { ...patch };
  if (result.apiKey === '') result.apiKey = undefined;
  if (patch.config) {
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch.config))
      config[key] = value === '' ? undefined : value;
    result.config = config;
  }
  return result;
}

/** Runs a service call and reports it as the form expects: validation issues by field name. */
export async function asActionResult(action: () => Promise<unknown>): Promise<ActionResult> {
  try {
    await action();
    return { ok: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of error.issues) fieldErrors[issue.path] ??= issue.message;
      return { ok: false, message: error.message, fieldErrors };
    }
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The `lm-studio` and `cloud` entries of `inferenceService.getHealthStatus()`, as badges. */
export function toGroupHealth(status: Readonly<Record<string, ProviderHealth>>): GroupHealth {
  const result: GroupHealth = {};
  for (const group of HEALTH_GROUPS) {
    const entry = status[group];
    if (!entry) continue;
    result[group] = {
      status: deriveHealthStatus(entry),
      latencyMs: entry.responseTime ?? null,
      detail: entry.error ?? null,
    };
  }
  return result;
}

/** The selector shows the three groups; a provider chosen by id selects none of them. */
export function asChoice(selection: string): InferenceProviderChoice | undefined {
  return selection === 'lm-studio' || selection === 'cloud' || selection === 'auto'
    ? selection
    : undefined;
}
