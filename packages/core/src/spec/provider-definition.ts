// The contract every vendor folder implements once: which provider types it answers to, how its
// settings are checked, where it lives by default, what it reads from the environment, what it
// can do, and how to build its adapter. Core reads vendors only through this.
import type { z } from 'zod';
import type {
  HealthCheckConfig,
  ProviderConfig,
  ProviderInput,
  ProviderSettings,
} from '../config/config-schema.ts';
import type { Environment } from '../config/environment.ts';
import type { NativeDialect } from './native-dialect.ts';
import type { ProviderAdapter } from './provider-adapter.ts';
import type { FieldIssue } from './validation.ts';

/** What a vendor's API can do, as far as the adapter knows it. */
export interface ProviderCapabilities {
  /** Reports token usage at the end of a stream. */
  streamingUsage: boolean;
  tools: boolean;
  /** JSON mode or JSON schema output. */
  structuredOutput: boolean;
  /** Continues an answer from a trailing assistant message. */
  assistantPrefill: boolean;
  embeddings: boolean;
  /** Lists its models (used by the health probe and the dashboard). */
  modelListing: boolean;
  /** Client dialects it speaks natively, so their bodies are forwarded as they came. */
  nativeDialects?: readonly NativeDialect[];
}

export interface ProviderTemplateField {
  /** `apiKey`, `endpoint`, or `config.<setting>`. */
  name: string;
  label: string;
  /** Write-only: stored encrypted, never sent back. */
  secret: boolean;
  required: boolean;
  /** An example shown greyed in the empty input; never one that could pass for a value. */
  placeholder?: string;
  /** Filled in on a new provider: a real default the operator may keep or change. */
  defaultValue?: string;
  /** One line under the field: what an empty value means, what the setting is for. */
  hint?: string;
}

/** What the dashboard's "add provider" form asks for one provider type. */
export interface ProviderTemplate {
  type: string;
  label: string;
  defaultEndpoint?: string;
  fields: ProviderTemplateField[];
  healthCheck?: HealthCheckConfig;
  docs?: string;
  /**
   * Set on a second name for the same vendor (one of the seed's type names, say): providers of
   * this type are still edited with it, but the "add a provider" list offers only the main entry.
   */
  aliasOf?: string;
}

/**
 * One vendor. `Settings` is the provider's `config` object after `settingsSchema`; methods get it
 * already parsed. Field issues from `validate` are relative to the provider (`apiKey`,
 * `config.region`); parseConfig prefixes them with the provider's place in the file.
 */
export interface ProviderDefinition<Settings extends ProviderSettings = ProviderSettings> {
  /** The provider `type` values it answers to; the first is its main name. */
  readonly types: readonly [string, ...string[]];
  /** The provider's `config` object; unknown keys pass, as in the seed. */
  readonly settingsSchema: z.ZodType<Settings, unknown>;
  readonly capabilities: ProviderCapabilities;
  /** One per type, in `types` order, when the dashboard can offer it. */
  readonly templates?: readonly ProviderTemplate[];
  /** Said when a provider has no endpoint and no default; `is required for type <type>` otherwise. */
  readonly missingEndpointMessage?: string;
  /** The endpoint used when none is configured, if there is one. */
  defaultEndpoint?(settings: Settings): string | undefined;
  /** A local inference server rather than a cloud service (the seed's `lm-studio` selection). */
  isLocal(provider: Pick<ProviderConfig, 'type' | 'endpoint'>): boolean;
  /** Checks that need more than the schema (credentials, settings that depend on each other). */
  validate?(provider: ProviderConfig, settings: Settings): FieldIssue[];
  /** Providers for the variables set in the environment, as the seed loads them. */
  fromEnvironment?(env: Environment): ProviderInput[];
  /**
   * Prefixes of the environment variables a config imported into the database may reference for
   * this vendor (its credentials and endpoints, e.g. `OPENAI_`).
   */
  readonly environmentPrefixes?: readonly string[];
  create(provider: ProviderConfig, settings: Settings): ProviderAdapter;
}

/** Every vendor an application can configure, in the order their types are listed. */
export type ProviderRegistry = readonly ProviderDefinition[];
