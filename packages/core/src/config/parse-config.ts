// Validates a config object: `${ENV}` interpolation, the schema (each provider's `config` with its
// vendor's settings schema), and checks across fields (unique ids, routes naming real providers,
// vendor checks that need more than a schema).
import { z } from 'zod';
import {
  configSchema,
  providerSchema,
  type GatewayConfig,
  type ProviderConfig,
} from './config-schema.ts';
import { ConfigError } from './config-error.ts';
import { isAllowedVariable, type Environment } from './environment.ts';
import { findDefinition, knownProviderTypes } from './provider-registry.ts';
import type { ProviderRegistry } from '../spec/provider-definition.ts';
import { formatPath, toFieldIssues, type FieldIssue } from '../spec/validation.ts';

export interface ParseConfigOptions {
  /** Variables for `${NAME}` references; without it, references are left as written. */
  env?: Environment;
  /**
   * With `env`: only names starting with one of these may be referenced (see
   * configVariablePrefixes); absent, any name may (file mode's default).
   */
  allowedEnvPrefixes?: readonly string[];
  /** Named in error messages, e.g. the file path. */
  source?: string;
}

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface InterpolateOptions {
  /** Only names with one of these prefixes are read; any other reference is an error. */
  allowedPrefixes?: readonly string[] | undefined;
}

function refusedVariable(name: string, allowedPrefixes: readonly string[]): string {
  // The same words whether the variable is set or not: the answer must not reveal which exist.
  return `environment variable ${name} may not be referenced here (allowed: names starting with ${allowedPrefixes.join(', ')})`;
}

function interpolateString(
  value: string,
  env: Environment,
  issues: FieldIssue[],
  options: InterpolateOptions,
  path: PropertyKey[],
): string {
  return value.replace(ENV_REFERENCE, (whole, name: string, fallback: string | undefined) => {
    if (!isAllowedVariable(name, options.allowedPrefixes)) {
      issues.push({
        path: formatPath(path),
        message: refusedVariable(name, options.allowedPrefixes ?? []),
      });
      return whole;
    }
    const resolved = env[name];
    if (resolved !== undefined && resolved !== '') return resolved;
    if (fallback !== undefined) return fallback;
    issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
    return whole;
  });
}

/** Replaces `${NAME}` and `${NAME:-default}` in every string of a JSON-like value. */
export function interpolateEnv(
  value: unknown,
  env: Environment,
  issues: FieldIssue[],
  options: InterpolateOptions = {},
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, issues, options, path);
  if (Array.isArray(value))
    return value.map((item, index) => interpolateEnv(item, env, issues, options, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      result[key] = interpolateEnv(item, env, issues, options, [...path, key]);
    return result;
  }
  return value;
}

function checkProvider(
  registry: ProviderRegistry,
  provider: ProviderConfig,
  index: number,
  issues: FieldIssue[],
): void {
  const at = (field: string) => `providers[${index}].${field}`;
  // The schema admitted only registered types.
  const definition = findDefinition(registry, provider.type);
  if (!definition) return;
  if (!provider.endpoint) {
    const fallback = definition.defaultEndpoint?.(provider.config ?? {});
    if (fallback) provider.endpoint = fallback;
    else
      issues.push({
        path: at('endpoint'),
        message: definition.missingEndpointMessage ?? `is required for type ${provider.type}`,
      });
  }
  provider.local ??= definition.isLocal(provider);
  for (const issue of definition.validate?.(provider, provider.config ?? {}) ?? [])
    issues.push({ path: at(issue.path), message: issue.message });
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

const schemas = new WeakMap<ProviderRegistry, z.ZodType<GatewayConfig, unknown>>();

/** The config schema whose providers are the registry's types, each `config` checked by its vendor. */
function configSchemaFor(registry: ProviderRegistry): z.ZodType<GatewayConfig, unknown> {
  const known = schemas.get(registry);
  if (known) return known;
  const types = knownProviderTypes(registry);
  const error = () =>
    types.length > 0 ? `must be one of: ${types.join(', ')}` : 'no provider types are registered';
  const [first, ...rest] = registry.map((definition) =>
    providerSchema.extend({
      type: z.enum(definition.types),
      config: definition.settingsSchema.optional(),
    }),
  );
  const provider = first
    ? z.discriminatedUnion('type', [first, ...rest], { error })
    : providerSchema.extend({ type: z.never({ error }) });
  // The vendor schemas extend core's settings schema, so the output is a GatewayConfig.
  const schema = configSchema.extend({
    providers: z.array(provider).default([]),
  }) as z.ZodType<GatewayConfig, unknown>;
  schemas.set(registry, schema);
  return schema;
}

/**
 * Validates a config object and fills in defaults. Throws `ConfigError` listing every bad field.
 * Accepts the seed's CloudConfig shape unchanged; `registry` says which provider types exist.
 */
export function parseConfig(
  input: unknown,
  registry: ProviderRegistry,
  options: ParseConfigOptions = {},
): GatewayConfig {
  const issues: FieldIssue[] = [];
  const interpolated = options.env
    ? interpolateEnv(input, options.env, issues, { allowedPrefixes: options.allowedEnvPrefixes })
    : input;
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  const result = configSchemaFor(registry).safeParse(interpolated ?? {});
  if (!result.success) throw new ConfigError(toFieldIssues(result.error), options.source);
  const config = result.data;
  config.providers.forEach((provider, index) => checkProvider(registry, provider, index, issues));
  checkReferences(config, issues);
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  return config;
}
