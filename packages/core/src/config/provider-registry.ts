// Looking vendors up in a registry of ProviderDefinitions: by type, for adapters, for the
// dashboard's templates and for the seed's environment variables.
import type { ProviderConfig, ProviderInput } from './config-schema.ts';
import type { Environment } from './environment.ts';
import { ConfigError } from './config-error.ts';
import type { ProviderAdapter } from '../spec/provider-adapter.ts';
import type {
  ProviderDefinition,
  ProviderRegistry,
  ProviderTemplate,
} from '../spec/provider-definition.ts';
import { toFieldIssues } from '../spec/validation.ts';

/** Every provider type the registry answers to, in registry order. */
export function knownProviderTypes(registry: ProviderRegistry): string[] {
  return registry.flatMap((definition) => definition.types);
}

export function findDefinition(
  registry: ProviderRegistry,
  type: string,
): ProviderDefinition | undefined {
  return registry.find((definition) => definition.types.includes(type));
}

/** The dashboard's "add provider" templates, one per type that has one. */
export function providerTemplates(registry: ProviderRegistry): ProviderTemplate[] {
  return registry.flatMap((definition) => definition.templates ?? []);
}

/** Provider entries for every vendor whose variables are set, in registry order. */
export function providersFromEnv(env: Environment, registry: ProviderRegistry): ProviderInput[] {
  return registry.flatMap((definition) => definition.fromEnvironment?.(env) ?? []);
}

/** Builds a provider's adapter with its definition; undefined when no definition answers to its type. */
export function createAdapter(
  registry: ProviderRegistry,
  provider: ProviderConfig,
): ProviderAdapter | undefined {
  const definition = findDefinition(registry, provider.type);
  if (!definition) return undefined;
  const settings = definition.settingsSchema.safeParse(provider.config ?? {});
  if (!settings.success)
    throw new ConfigError(
      toFieldIssues(settings.error).map((issue) => ({
        path: issue.path ? `config.${issue.path}` : 'config',
        message: issue.message,
      })),
      `provider ${provider.id}`,
    );
  return definition.create(provider, settings.data);
}
