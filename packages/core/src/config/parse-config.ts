// Validates a config object: `${ENV}` interpolation, the schema, and checks across fields
// (unique ids, routes naming real providers, vendor-specific required settings).
import { configSchema, type GatewayConfig, type ProviderConfig } from './config-schema.ts';
import { validateCustomFormat } from './custom-format.ts';
import { describeIssues, formatPath, toFieldIssues, type FieldIssue } from '../spec/validation.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], source?: string) {
    super(`Invalid configuration${source ? ` in ${source}` : ''}: ${describeIssues(issues)}`);
    this.issues = issues;
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ParseConfigOptions {
  /** Variables for `${NAME}` references; without it, references are left as written. */
  env?: Environment;
  /** Named in error messages, e.g. the file path. */
  source?: string;
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${NAME}` and `${NAME:-default}` in every string of a JSON-like value. */
export function interpolateEnv(
  value: unknown,
  env: Environment,
  issues: FieldIssue[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REFERENCE, (whole, name: string, fallback: string | undefined) => {
      const resolved = env[name];
      if (resolved !== undefined && resolved !== '') return resolved;
      if (fallback !== undefined) return fallback;
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return whole;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolateEnv(item, env, issues, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      result[key] = interpolateEnv(item, env, issues, [...path, key]);
    return result;
  }
  return value;
}

const DEFAULT_ENDPOINTS: Partial<Record<ProviderConfig['type'], string>> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  gcp: 'https://generativelanguage.googleapis.com',
  gemini: 'https://generativelanguage.googleapis.com',
  cohere: 'https://api.cohere.com',
  lmstudio: 'http://127.0.0.1:1234',
  ollama: 'http://127.0.0.1:11434',
  vllm: 'http://127.0.0.1:8000',
  localai: 'http://127.0.0.1:8080',
};

/** The endpoint a provider of this type uses when none is configured, if it has one. */
export function defaultEndpoint(
  provider: Pick<ProviderConfig, 'type' | 'config'>,
): string | undefined {
  if (provider.type === 'aws' || provider.type === 'bedrock') {
    const region = provider.config?.region;
    return region ? `https://bedrock-runtime.${region}.amazonaws.com` : undefined;
  }
  return DEFAULT_ENDPOINTS[provider.type];
}

function checkProvider(provider: ProviderConfig, index: number, issues: FieldIssue[]): void {
  const at = (field: string) => `providers[${index}].${field}`;
  if (!provider.endpoint) {
    const fallback = defaultEndpoint(provider);
    if (fallback) provider.endpoint = fallback;
    else
      issues.push({
        path: at('endpoint'),
        message:
          provider.type === 'aws' || provider.type === 'bedrock'
            ? 'is required (or set config.region)'
            : `is required for type ${provider.type}`,
      });
  }
  const settings = provider.config ?? {};
  switch (provider.type) {
    case 'aws':
    case 'bedrock':
      if (settings.authMode !== 'bearer') {
        if (!provider.apiKey)
          issues.push({
            path: at('apiKey'),
            message:
              'is required: the AWS access key id (or set config.authMode to "bearer" for a Bedrock API key)',
          });
        if (!settings.secretKey)
          issues.push({
            path: at('config.secretKey'),
            message: 'is required: the AWS secret access key',
          });
      }
      if (!settings.region && !regionFromBedrockEndpoint(provider.endpoint))
        issues.push({
          path: at('config.region'),
          message: 'is required (the endpoint does not name a region)',
        });
      break;
    case 'custom':
      if (!settings.customFormat)
        issues.push({ path: at('config.customFormat'), message: 'is required for type custom' });
      else {
        if (!settings.customFormat.response && !settings.customFormat.stream)
          issues.push({
            path: at('config.customFormat.response'),
            message: 'is required: say where the text is in the answer (textPath)',
          });
        issues.push(...validateCustomFormat(settings.customFormat, at('config.customFormat')));
      }
      break;
    default:
      break;
  }
  const names = new Set<string>();
  provider.models.forEach((model, modelIndex) => {
    if (names.has(model.name))
      issues.push({
        path: at(`models[${modelIndex}].name`),
        message: `duplicate model name "${model.name}"`,
      });
    names.add(model.name);
  });
}

export function regionFromBedrockEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  return /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint)?.[1];
}

function checkReferences(config: GatewayConfig, issues: FieldIssue[]): void {
  const providerIds = new Set<string>();
  config.providers.forEach((provider, index) => {
    if (providerIds.has(provider.id))
      issues.push({
        path: `providers[${index}].id`,
        message: `duplicate provider id "${provider.id}"`,
      });
    providerIds.add(provider.id);
  });
  const routeNames = new Set<string>();
  config.routes.forEach((route, index) => {
    if (routeNames.has(route.name))
      issues.push({
        path: `routes[${index}].name`,
        message: `duplicate route name "${route.name}"`,
      });
    routeNames.add(route.name);
  });
  config.routes.forEach((route, index) => {
    route.targets.forEach((target, targetIndex) => {
      if (!providerIds.has(target.provider))
        issues.push({
          path: `routes[${index}].targets[${targetIndex}].provider`,
          message: `unknown provider "${target.provider}"`,
        });
    });
    route.fallbacks.forEach((fallback, fallbackIndex) => {
      if (!routeNames.has(fallback))
        issues.push({
          path: `routes[${index}].fallbacks[${fallbackIndex}]`,
          message: `unknown route "${fallback}"`,
        });
      if (fallback === route.name)
        issues.push({
          path: `routes[${index}].fallbacks[${fallbackIndex}]`,
          message: 'a route cannot fall back to itself',
        });
    });
    if (route.contextLengthFallback && !routeNames.has(route.contextLengthFallback))
      issues.push({
        path: `routes[${index}].contextLengthFallback`,
        message: `unknown route "${route.contextLengthFallback}"`,
      });
  });
  if (config.defaultRoute && !routeNames.has(config.defaultRoute))
    issues.push({ path: 'defaultRoute', message: `unknown route "${config.defaultRoute}"` });
  const keyNames = new Set<string>();
  config.keys.forEach((key, index) => {
    const identity = key.id ?? key.name;
    if (keyNames.has(identity))
      issues.push({ path: `keys[${index}].name`, message: `duplicate key "${identity}"` });
    keyNames.add(identity);
  });
}

/**
 * Validates a config object and fills in defaults. Throws `ConfigError` listing every bad field.
 * Accepts the seed's CloudConfig shape unchanged.
 */
export function parseConfig(input: unknown, options: ParseConfigOptions = {}): GatewayConfig {
  const issues: FieldIssue[] = [];
  const interpolated = options.env ? interpolateEnv(input, options.env, issues) : input;
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  const result = configSchema.safeParse(interpolated ?? {});
  if (!result.success) throw new ConfigError(toFieldIssues(result.error), options.source);
  const config = result.data;
  config.providers.forEach((provider, index) => checkProvider(provider, index, issues));
  checkReferences(config, issues);
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  return config;
}
