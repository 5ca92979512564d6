// View models the components render. They mirror what the dashboard's API returns, but are
// plain data so any app can feed them from its own API.
import type {
  ModelKind,
  ProviderHealthView,
  ProviderTestResult,
  ProviderType,
} from '@switchyard/core';

/** The one word a badge shows for a provider's health (derived from core's health report). */
export type HealthVerdict =
  'healthy' | 'degraded' | 'down' | 'circuit-open' | 'disabled' | 'unknown';

/** One provider's health as a card shows it: core's report reduced to a verdict. */
export interface ProviderHealthSummary {
  providerId: ProviderHealthView['providerId'];
  status: HealthVerdict;
  latencyMs?: number | null;
  lastCheckedAt?: string | Date | null;
  error?: string | null;
}

export interface ModelView {
  name: string;
  id?: string;
  inputPricePerMTok?: number;
  outputPricePerMTok?: number;
  contextWindow?: number;
  /** A chat model (when absent) or an embedding model. */
  kind?: ModelKind;
  /** Embedding models: the vectors' length. */
  dimensions?: number;
  /** Embedding models: the vector space, for equivalent targets on other providers. */
  space?: string;
}

/** A model the provider listed, with what its listing says about it. */
export interface DiscoveredModel {
  id: string;
  kind?: ModelKind;
  dimensions?: number;
  contextWindow?: number;
}

/** A provider as the browser may see it: secrets are replaced by `has…` flags. */
export interface ProviderView {
  id: string;
  name: string;
  type: ProviderType;
  endpoint?: string | null;
  priority: number;
  enabled: boolean;
  weight: number;
  hasApiKey: boolean;
  hasSecretKey: boolean;
  hasSessionToken?: boolean;
  config?: Record<string, unknown> | null;
  models?: ModelView[];
}

export interface ProviderTemplateField {
  /** `apiKey`, `endpoint`, or a `config.<name>` setting. */
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  placeholder?: string;
  /** Filled in on a new provider. */
  defaultValue?: string;
  /** Shown under the field. */
  hint?: string;
}

export interface ProviderTemplateView {
  type: ProviderType;
  label: string;
  defaultEndpoint?: string;
  fields: ProviderTemplateField[];
  docs?: string;
  /** A second name for another entry's vendor: kept for editing, left out of the "add" list. */
  aliasOf?: string;
}

/** What a create/update/test action reports back to a form. */
export type ActionResult =
  { ok: true } | { ok: false; message: string; fieldErrors?: Record<string, string> };

/** The part of core's provider test result a form shows. */
export type ProviderTestSummary = Pick<ProviderTestResult, 'ok' | 'latencyMs' | 'error'>;

/** The seed's default-provider choices. */
export type InferenceProviderChoice = 'lm-studio' | 'cloud' | 'auto';
