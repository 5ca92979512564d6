// Import: a seed-shaped or extended config file (or the seed's environment variables) into the
// database. Upsert by id (routes by name, keys by id or key); everything in one transaction, so
// an invalid file or a conflict leaves the database as it was.
import {
  configVariablePrefixes,
  ConfigError,
  apiKeyPrefix,
  hashApiKey,
  interpolateEnv,
  parseConfig,
  providersFromEnv,
  systemClock,
  type ApiKeyConfig,
  type ConfigInput,
  type Environment,
  type FieldIssue,
  type GatewayConfig,
  type ProviderInput,
  type ProviderRegistry,
} from '@switchyard/core';
import type { Database } from '../database.ts';
import { processEnvironment } from '../env.ts';
import { translateErrors } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { writeAudit, type Actor } from '../repositories/audit.ts';
import { changeConfig, type RepositoryContext } from '../repositories/context.ts';
import { jsonOrNull, type DbClient } from '../repositories/db-client.ts';
import {
  applyProviderPatch,
  checkCredentialsFollowEndpoint,
  parseProvider,
  providerData,
  replaceModels,
} from '../repositories/providers.ts';
import { writeRoute } from '../repositories/routes.ts';
import { GLOBAL_OPTIONS, readSettingsRow, settingsData } from '../repositories/settings.ts';
import { consoleLogger } from '../logger.ts';
import { readConfigInput, settingsRowToInput } from './config-rows.ts';

export interface ImportOptions {
  /** The provider types the application knows; the file is validated against them. */
  definitions: ProviderRegistry;
  /** Values for `${NAME}` references in the file; the process environment by default. */
  env?: Environment;
  /**
   * How `${NAME}` references are treated. `'none'` (imports through the dashboard): left as
   * written, the server's environment is never read. `'allow-listed'` (the CLI): only names
   * with a prefix from `configVariablePrefixes(definitions)`. `'any'` (default): every variable.
   */
  interpolation?: 'none' | 'allow-listed' | 'any';
  /** Named in error messages, e.g. the file path. */
  source?: string;
}

export interface ImportSummary {
  providers: { created: string[]; updated: string[] };
  routes: { created: string[]; updated: string[] };
  keys: { created: string[]; updated: string[] };
  /** Global options the file set. */
  settings: string[];
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listOf(raw: Raw, field: string): unknown[] {
  const value = raw[field];
  return Array.isArray(value) ? value : [];
}

function keyHash(key: Raw): string | undefined {
  if (typeof key.key === 'string') return hashApiKey(key.key);
  return typeof key.hash === 'string' ? key.hash : undefined;
}

/**
 * The configuration after the import, for validation: the file's entries first (so error paths
 * point into the file), then stored entries the file does not mention. Stored providers the file
 * names keep the credentials (and other fields) the file leaves out — an export has no secrets.
 */
function mergeForValidation(file: Raw, stored: ConfigInput): Raw {
  const storedProviders = new Map(
    (stored.providers ?? []).map((provider) => [provider.id, provider]),
  );
  const providers = listOf(file, 'providers').map((entry) => {
    if (!isObject(entry) || typeof entry.id !== 'string') return entry;
    const current = storedProviders.get(entry.id);
    return current ? applyProviderPatch(current, entry) : entry;
  });
  const fileProviderIds = new Set(
    providers.flatMap((entry) =>
      isObject(entry) && typeof entry.id === 'string' ? [entry.id] : [],
    ),
  );

  const fileRouteNames = new Set(
    listOf(file, 'routes').flatMap((entry) =>
      isObject(entry) && typeof entry.name === 'string' ? [entry.name] : [],
    ),
  );

  const storedKeys = stored.keys ?? [];
  const keys = listOf(file, 'keys').map((entry) => {
    if (!isObject(entry) || entry.id !== undefined) return entry;
    const hash = keyHash(entry);
    const match = storedKeys.find((key) => key.hash === hash);
    return match ? { ...entry, id: match.id } : entry;
  });
  const fileKeyIds = new Set(
    keys.flatMap((entry) => (isObject(entry) && typeof entry.id === 'string' ? [entry.id] : [])),
  );

  const globals: Raw = {};
  for (const option of GLOBAL_OPTIONS) if (option in file) globals[option] = file[option];

  return {
    ...Object.fromEntries(
      Object.entries(stored).filter(([field]) => !['providers', 'routes', 'keys'].includes(field)),
    ),
    ...globals,
    providers: [
      ...providers,
      ...(stored.providers ?? []).filter((provider) => !fileProviderIds.has(provider.id)),
    ],
    routes: [
      ...listOf(file, 'routes'),
      ...(stored.routes ?? []).filter((route) => !fileRouteNames.has(route.name)),
    ],
    keys: [...keys, ...storedKeys.filter((key) => key.id === undefined || !fileKeyIds.has(key.id))],
  };
}

async function writeKey(
  client: DbClient,
  key: ApiKeyConfig,
  now: Date,
): Promise<'created' | 'updated'> {
  const hash = key.hash ?? hashApiKey(key.key ?? '');
  const existing = key.id ? await client.apiKey.findUnique({ where: { id: key.id } }) : null;
  const data = {
    name: key.name,
    hash,
    allowedRoutes: key.allowedRoutes,
    limits: jsonOrNull(key.limits),
    strategy: key.strategy ?? null,
    logBodies: key.logBodies ?? null,
    monthlyBudgetUsd: key.monthlyBudgetUsd ?? null,
    expiresAt: key.expiresAt ?? null,
  } satisfies Prisma.ApiKeyUncheckedUpdateInput;
  const conflict = `Key "${key.name}" has the same key as another stored key`;
  if (existing) {
    // A file never un-revokes a key: an old export must not bring a revoked key back.
    const revokedAt = existing.revokedAt ?? (key.revoked ? now : null);
    await translateErrors(
      () =>
        client.apiKey.update({
          where: { id: existing.id },
          data: {
            ...data,
            revokedAt,
            prefix: key.key
              ? apiKeyPrefix(key.key)
              : existing.hash === hash
                ? existing.prefix
                : null,
          },
        }),
      conflict,
    );
    return 'updated';
  }
  await translateErrors(
    () =>
      client.apiKey.create({
        data: {
          ...(key.id ? { id: key.id } : {}),
          ...data,
          prefix: key.key ? apiKeyPrefix(key.key) : null,
          revokedAt: key.revoked ? now : null,
        },
      }),
    conflict,
  );
  return 'created';
}

/** The origin-change rule of the providers repository, with paths into the file. */
function checkImportedCredentials(
  stored: ProviderInput | undefined,
  provider: GatewayConfig['providers'][number],
  file: Raw,
  index: number,
  options: ImportOptions,
): void {
  if (!stored) return;
  const entry = listOf(file, 'providers')[index];
  if (!isObject(entry)) return;
  try {
    checkCredentialsFollowEndpoint(parseProvider(stored, options.definitions), provider, entry);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map((issue) => ({
      path: `providers[${index}].${issue.path}`,
      message: issue.message,
    }));
    throw new ConfigError(issues, options.source);
  }
}

/** The file with its `${NAME}` references resolved as `options.interpolation` says. */
function interpolateFile(input: Raw, options: ImportOptions): Raw {
  const mode = options.interpolation ?? 'any';
  if (mode === 'none') return input;
  const issues: FieldIssue[] = [];
  const allowedPrefixes =
    mode === 'allow-listed' ? configVariablePrefixes(options.definitions) : undefined;
  const file = interpolateEnv(input, options.env ?? processEnvironment(), issues, {
    allowedPrefixes,
  }) as Raw;
  if (issues.length > 0) throw new ConfigError(issues, options.source);
  return file;
}

/** Validates and applies a config file's content. Throws `ConfigError` (nothing written) when invalid. */
export async function importConfig(
  db: Database,
  input: unknown,
  actor: Actor,
  options: ImportOptions,
): Promise<ImportSummary> {
  if (!isObject(input))
    throw new ConfigError(
      [{ path: '', message: 'must be an object with providers, routes, keys and global options' }],
      options.source,
    );
  const file = interpolateFile(input, options);

  const context: RepositoryContext = {
    db,
    clock: systemClock,
    logger: consoleLogger,
    definitions: options.definitions,
  };
  const summary: ImportSummary = {
    providers: { created: [], updated: [] },
    routes: { created: [], updated: [] },
    keys: { created: [], updated: [] },
    settings: GLOBAL_OPTIONS.filter((option) => option in file),
  };

  return changeConfig(context, ['providers', 'routes', 'keys', 'settings'], async (tx) => {
    const stored = await readConfigInput(tx, db.secrets);
    const merged = mergeForValidation(file, stored);
    const config: GatewayConfig = parseConfig(
      merged,
      options.definitions,
      options.source === undefined ? {} : { source: options.source },
    );
    const count = (field: 'providers' | 'routes' | 'keys') => listOf(file, field).length;
    const storedProviderIds = new Set((stored.providers ?? []).map((provider) => provider.id));

    const storedById = new Map((stored.providers ?? []).map((entry) => [entry.id, entry]));
    for (const [index, provider] of config.providers.slice(0, count('providers')).entries()) {
      const mergedInput = (merged.providers as ProviderInput[])[index] ?? provider;
      checkImportedCredentials(storedById.get(provider.id), provider, file, index, options);
      const data = providerData(mergedInput, provider, db.secrets);
      const existed = storedProviderIds.has(provider.id);
      await tx.provider.upsert({
        where: { id: provider.id },
        create: { id: provider.id, ...data },
        update: data,
      });
      await replaceModels(tx, provider.id, provider.models);
      summary.providers[existed ? 'updated' : 'created'].push(provider.id);
    }
    for (const route of config.routes.slice(0, count('routes'))) {
      const before = await writeRoute(tx, route);
      summary.routes[before ? 'updated' : 'created'].push(route.name);
    }
    const now = new Date();
    for (const key of config.keys.slice(0, count('keys'))) {
      const outcome = await writeKey(tx, key, now);
      summary.keys[outcome].push(key.id ?? key.name);
    }
    if (summary.settings.length > 0) {
      const row = await readSettingsRow(tx);
      const options = { ...settingsRowToInput(row) } as Raw;
      for (const option of summary.settings) options[option] = file[option];
      await tx.settings.update({ where: { id: row.id }, data: settingsData(options) });
    }
    await writeAudit(tx, actor, { action: 'import', entity: 'config', after: summary });
    return summary;
  });
}

/** The seed's environment import: a provider for every vendor whose variables are set. */
export async function importFromEnvironment(
  db: Database,
  env: Environment,
  actor: Actor,
  definitions: ProviderRegistry,
): Promise<ImportSummary> {
  return importConfig(db, { providers: providersFromEnv(env, definitions) }, actor, {
    definitions,
    env,
    source: 'the environment',
  });
}
