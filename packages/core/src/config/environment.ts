// Reading providers' variables from an environment the way the seed does: each name also answers
// to its REACT_APP_-prefixed alias, so an existing .env keeps working.
import type { ProviderRegistry } from '../spec/provider-definition.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The first of `names` (or its REACT_APP_ alias) that is set to something other than blanks, trimmed. */
export function environmentValue(env: Environment, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name] ?? env[`REACT_APP_${name}`];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** A comma-separated variable as a list, blanks dropped. */
export function environmentList(env: Environment, ...names: string[]): string[] {
  const value = environmentValue(env, ...names);
  return value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

/**
 * Prefixes of the variables any config imported into the database may reference, whatever its
 * providers: the seed's REACT_APP_ aliases, the shipped examples' key variables, and
 * `SWITCHYARD_CONFIG_` for anything else the operator wants to pass. Each provider definition adds
 * its own (`environmentPrefixes`). Nothing else of the server's environment (its home directory,
 * the database URL, the secret key) can be copied into stored configuration.
 */
export const CONFIG_VARIABLE_PREFIXES: readonly string[] = [
  'REACT_APP_',
  'SWITCHYARD_CONFIG_',
  'SWITCHYARD_DEV_',
  'SWITCHYARD_DEMO_',
];

/** The prefixes an imported config may reference: the common ones and every vendor's own. */
export function configVariablePrefixes(registry: ProviderRegistry): string[] {
  return [
    ...CONFIG_VARIABLE_PREFIXES,
    ...registry.flatMap((definition) => definition.environmentPrefixes ?? []),
  ];
}

/** Whether `${name}` may be read under an allow-list of prefixes (no list: every name). */
export function isAllowedVariable(name: string, allowedPrefixes?: readonly string[]): boolean {
  return allowedPrefixes === undefined || allowedPrefixes.some((prefix) => name.startsWith(prefix));
}
