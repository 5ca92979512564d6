// The seed's CloudConfigService: the providers and global options, from the environment and the
// config file, validated with each vendor's schema, persisted, and announced to listeners (the
// running services) on every change.
import {
  ConfigError,
  configSchema,
  findDefinition,
  parseConfig,
  providersFromEnv,
  providerTemplates,
  type Environment,
  type FieldIssue,
  type ProviderRegistry,
  type ProviderTemplate,
} from '@switchyard/core';
import { readConfigFile, writeConfigFile, type StoredConfig } from './config-file.ts';
import { lmStudioUrl } from './env.ts';
import type {
  CloudConfig,
  CloudConfigSettings,
  CloudProvider,
  ConfigValidation,
} from './seed-types.ts';

export interface CloudConfigServiceOptions {
  /** Where the seed's variables are read (`{}`: no environment at all). */
  env: Environment;
  /** The JSON file changes are written to. */
  configFile: string;
  registry: ProviderRegistry;
}

export type ConfigListener = (config: CloudConfig) => void;

/** The id of the local LM Studio server every setup starts with. */
export const LM_STUDIO_PROVIDER_ID = 'lmstudio';

const SETTING_KEYS = [
  'loadBalancing',
  'retryAttempts',
  'retryDelay',
  'timeout',
  'enableHealthMonitoring',
  'healthCheckInterval',
  'healthCheck',
] as const satisfies readonly (keyof CloudConfigSettings)[];

/** The seed's defaults for the global options, as core's schema fills them in. */
function defaultSettings(): Omit<CloudConfig, 'providers'> {
  const defaults = configSchema.parse({});
  return {
    loadBalancing: defaults.loadBalancing,
    retryAttempts: defaults.retryAttempts,
    retryDelay: defaults.retryDelay,
    timeout: defaults.timeout,
    enableHealthMonitoring: defaults.enableHealthMonitoring,
    healthCheckInterval: defaults.healthCheckInterval,
  };
}

function pickSettings(source: Partial<Record<string, unknown>>): CloudConfigSettings {
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (source[key] !== undefined) settings[key] = source[key];
  return settings;
}

/** A file entry refines the environment's provider of the same id: its fields win, the rest stay. */
function mergeProvider(base: CloudProvider, override: CloudProvider): CloudProvider {
  const config =
    base.config || override.config ? { ...base.config, ...override.config } : undefined;
  return { ...base, ...override, ...(config ? { config } : {}) };
}

/** Issue paths of a one-provider config, made relative to the provider (`endpoint`, `config.region`). */
function providerIssues(error: ConfigError): FieldIssue[] {
  return error.issues.map((issue) => ({
    ...issue,
    path: issue.path.replace(/^providers\[0\]\.?/, ''),
  }));
}

export class CloudConfigService {
  private readonly env: Environment;
  private readonly configFile: string;
  private readonly registry: ProviderRegistry;
  private stored: StoredConfig;
  private environmentProviders: CloudProvider[];
  private readonly listeners = new Set<ConfigListener>();

  constructor(options: CloudConfigServiceOptions) {
    this.env = options.env;
    this.configFile = options.configFile;
    this.registry = options.registry;
    this.stored = readConfigFile(this.configFile);
    this.environmentProviders = this.readEnvironment();
    this.check(this.getConfig(), this.configFile);
  }

  /** The effective config: environment providers refined or joined by the file's, and the options. */
  getConfig(): CloudConfig {
    const fromFile = new Map(this.stored.providers.map((provider) => [provider.id, provider]));
    const merged = this.environmentProviders.map((provider) => {
      const override = fromFile.get(provider.id);
      fromFile.delete(provider.id);
      return override ? mergeProvider(provider, override) : provider;
    });
    return {
      ...defaultSettings(),
      ...pickSettings(this.stored),
      providers: [...merged, ...fromFile.values()],
    };
  }

  getProvider(providerId: string): CloudProvider | undefined {
    return this.getConfig().providers.find((provider) => provider.id === providerId);
  }

  /** Adds a provider after checking it with its vendor's schema; on error nothing is stored. */
  addProvider(provider: CloudProvider): Promise<CloudProvider> {
    return this.change(() => {
      this.checkProvider(provider);
      if (this.getProvider(provider.id))
        throw new ConfigError(
          [{ path: 'id', message: `a provider with id "${provider.id}" already exists` }],
          `provider ${provider.id}`,
        );
      this.stored = { ...this.stored, providers: [...this.stored.providers, provider] };
      return provider;
    });
  }

  /** Changes some fields of a provider; a provider from the environment keeps its secrets there. */
  updateProvider(providerId: string, patch: Partial<CloudProvider>): Promise<CloudProvider> {
    return this.change(() => {
      const current = this.requireProvider(providerId);
      const updated = mergeProvider(current, { ...patch, id: providerId } as CloudProvider);
      this.checkProvider(updated);
      const entry = this.withoutEnvironmentSecrets(updated);
      const others = this.stored.providers.filter((provider) => provider.id !== providerId);
      const index = this.stored.providers.findIndex((provider) => provider.id === providerId);
      const providers = [...others];
      providers.splice(index < 0 ? others.length : index, 0, entry);
      this.stored = { ...this.stored, providers };
      return updated;
    });
  }

  /** Removes a provider the user added; one from the environment goes when its variables go. */
  removeProvider(providerId: string): Promise<void> {
    return this.change(() => {
      this.requireProvider(providerId);
      if (this.isEnvironmentProvider(providerId))
        throw new ConfigError(
          [
            {
              path: 'id',
              message: `provider "${providerId}" comes from the environment: unset its variables, or disable it with updateProvider(id, { enabled: false })`,
            },
          ],
          `provider ${providerId}`,
        );
      this.stored = {
        ...this.stored,
        providers: this.stored.providers.filter((provider) => provider.id !== providerId),
      };
    });
  }

  /** Sets global options (`loadBalancing`, `retryAttempts`, `timeout`, …). */
  updateConfig(settings: CloudConfigSettings): Promise<CloudConfig> {
    return this.change(() => {
      const next = { ...this.stored, ...pickSettings(settings) };
      this.check({ ...this.getConfig(), ...pickSettings(next) });
      this.stored = next;
      return this.getConfig();
    });
  }

  /** The "add provider" templates, one per provider type that has one. */
  getTemplates(): ProviderTemplate[] {
    return providerTemplates(this.registry);
  }

  /** Reads the environment again (the seed's variable names and their REACT_APP_ aliases). */
  loadFromEnv(): CloudProvider[] {
    const before = JSON.stringify(this.environmentProviders);
    this.environmentProviders = this.readEnvironment();
    if (JSON.stringify(this.environmentProviders) !== before) this.notify();
    return this.environmentProviders;
  }

  /** Checks a whole or partial CloudConfig without applying it. */
  validate(config: Partial<CloudConfig>): ConfigValidation {
    try {
      this.check({ ...defaultSettings(), providers: [], ...config });
      return { isValid: true, errors: [] };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return {
        isValid: false,
        errors: error.issues.map((issue) =>
          issue.path ? `${issue.path}: ${issue.message}` : issue.message,
        ),
      };
    }
  }

  /** Calls `listener` with the new config after every change; returns the unsubscribe function. */
  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The LM Studio server and every provider whose variables are set. */
  private readEnvironment(): CloudProvider[] {
    const lmStudio: CloudProvider = {
      id: LM_STUDIO_PROVIDER_ID,
      name: 'LM Studio (local)',
      type: 'lmstudio',
      endpoint: lmStudioUrl(this.env),
      priority: 0,
      enabled: true,
    };
    return [lmStudio, ...providersFromEnv(this.env, this.registry)];
  }

  private isEnvironmentProvider(providerId: string): boolean {
    return this.environmentProviders.some((provider) => provider.id === providerId);
  }

  private requireProvider(providerId: string): CloudProvider {
    const provider = this.getProvider(providerId);
    if (!provider)
      throw new ConfigError(
        [{ path: 'id', message: `no provider with id "${providerId}"` }],
        `provider ${providerId}`,
      );
    return provider;
  }

  /**
   * What the file keeps of a provider: for one from the environment, every field except the
   * secrets the environment holds (the file must not copy them); for the user's own, all of it.
   */
  private withoutEnvironmentSecrets(provider: CloudProvider): CloudProvider {
    const base = this.environmentProviders.find((candidate) => candidate.id === provider.id);
    if (!base) return provider;
    const entry: CloudProvider = { ...provider, config: { ...provider.config } };
    for (const field of this.secretFields(provider.type)) {
      if (field === 'apiKey') {
        if (entry.apiKey === base.apiKey) delete entry.apiKey;
      } else if (field.startsWith('config.')) {
        const key = field.slice('config.'.length);
        if (entry.config?.[key] === base.config?.[key]) delete entry.config?.[key];
      }
    }
    return entry;
  }

  /** `apiKey` and the `config.*` fields the vendor's template marks secret. */
  private secretFields(type: string): string[] {
    const templates = findDefinition(this.registry, type)?.templates ?? [];
    const fields = templates.flatMap((template) =>
      template.fields.filter((field) => field.secret).map((field) => field.name),
    );
    return [...new Set(['apiKey', ...fields])];
  }

  private checkProvider(provider: CloudProvider): void {
    try {
      parseConfig({ providers: [provider] }, this.registry);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(providerIssues(error), `provider ${String(provider.id)}`);
    }
  }

  private check(config: CloudConfig, source?: string): void {
    parseConfig(config, this.registry, source ? { source } : {});
  }

  /** Applies one change: on success the file is rewritten and listeners hear of it; on error nothing changes. */
  private change<T>(apply: () => T): Promise<T> {
    const before = this.stored;
    let result: T;
    try {
      result = apply();
      writeConfigFile(this.configFile, this.fileContent());
    } catch (error) {
      this.stored = before;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.notify();
    return Promise.resolve(result);
  }

  /** The file holds a whole CloudConfig: the options (defaults included) and the stored providers. */
  private fileContent(): StoredConfig {
    return { ...defaultSettings(), ...pickSettings(this.stored), providers: this.stored.providers };
  }

  private notify(): void {
    const config = this.getConfig();
    for (const listener of this.listeners) listener(config);
  }
}
