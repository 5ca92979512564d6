// Rows to core's config input and back. The database is the source; core's schema owns the
// defaults, so a null settings column means "core's default" and is left out of the input.
import type { apiKeySchema, modelSchema, routeSchema } from '@switchyard/core';
import {
  configSchema,
  healthCheckSchema,
  keyLimitsSchema,
  MODEL_KINDS,
  providerLimitsSchema,
  providerSettingsSchema,
  STRATEGIES,
  type ConfigInput,
  type ModelKind,
  type ProviderInput,
  type Strategy,
} from '@switchyard/core';
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.ts';
import { compact, type DbClient } from '../repositories/db-client.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { maskHeaders, maskUrl, openHeaders } from '../secrets/provider-credentials.ts';

export type ProviderRow = Prisma.ProviderGetPayload<{ include: { models: true } }>;
export type RouteRow = Prisma.RouteGetPayload<{ include: { targets: true } }>;
export type ApiKeyRow = Prisma.ApiKeyGetPayload<object>;
export type SettingsRow = Prisma.SettingsGetPayload<object>;

export type RouteInput = z.input<typeof routeSchema>;
export type ApiKeyInput = z.input<typeof apiKeySchema>;

const circuitBreakerSchema = configSchema.shape.circuitBreaker.unwrap();

export function asStrategy(value: string | null): Strategy | undefined {
  if (value === null) return undefined;
  if ((STRATEGIES as readonly string[]).includes(value)) return value as Strategy;
  throw new Error(`The database holds an unknown strategy "${value}"`);
}

export function asModelKind(value: string | null): ModelKind | undefined {
  if (value === null) return undefined;
  if ((MODEL_KINDS as readonly string[]).includes(value)) return value as ModelKind;
  throw new Error(`The database holds an unknown model kind "${value}"`);
}

/** A JSON column read through the schema that wrote it; a row edited by hand into nonsense reads as absent. */
function parseJson<T extends z.ZodType>(
  schema: T,
  value: Prisma.JsonValue | null,
): z.output<T> | undefined {
  if (value === null) return undefined;
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

export function providerSettings(
  row: Pick<ProviderRow, 'settings'>,
): z.output<typeof providerSettingsSchema> {
  return parseJson(providerSettingsSchema, row.settings) ?? {};
}

export function providerModels(row: ProviderRow): z.output<typeof modelSchema>[] {
  return [...row.models]
    .sort((a, b) => a.position - b.position)
    .map((model) =>
      compact({
        name: model.name,
        id: model.vendorModelId ?? undefined,
        inputPricePerMTok: model.inputPricePerMTok ?? undefined,
        outputPricePerMTok: model.outputPricePerMTok ?? undefined,
        contextWindow: model.contextWindow ?? undefined,
        kind: model.kind === 'chat' || model.kind === 'embedding' ? model.kind : undefined,
        dimensions: model.dimensions ?? undefined,
        space: model.space ?? undefined,
      }),
    );
}

export function providerLimits(row: Pick<ProviderRow, 'limits'>) {
  return parseJson(providerLimitsSchema, row.limits);
}

export function providerHealthCheck(row: Pick<ProviderRow, 'healthCheck'>) {
  return parseJson(healthCheckSchema, row.healthCheck);
}

export function keyLimits(row: Pick<ApiKeyRow, 'limits'>) {
  return parseJson(keyLimitsSchema, row.limits);
}

/** A provider's fields other than its settings and credentials. */
export function providerFields(row: ProviderRow) {
  return compact({
    id: row.id,
    name: row.name,
    // parseConfig names the known types when a row holds another.
    type: row.type,
    endpoint: row.endpoint ?? undefined,
    priority: row.priority,
    enabled: row.enabled,
    weight: row.weight,
    models: providerModels(row),
    limits: providerLimits(row),
    healthCheck: providerHealthCheck(row),
    timeout: row.timeoutMs ?? undefined,
  });
}

/** A provider as config input; credentials are decrypted only when `secrets` is given. */
export function providerRowToInput(row: ProviderRow, secrets?: SecretBox): ProviderInput {
  const settings = providerSettings(row);
  if (secrets && row.secretKeyCipher) settings.secretKey = secrets.decrypt(row.secretKeyCipher);
  if (secrets && row.sessionTokenCipher)
    settings.sessionToken = secrets.decrypt(row.sessionTokenCipher);
  if (secrets && row.headersCipher) settings.headers = openHeaders(row.headersCipher, secrets);
  else if (!secrets && settings.headers !== undefined)
    settings.headers = maskHeaders(settings.headers);
  const fields = providerFields(row);
  const endpoint = secrets
    ? row.endpointCipher
      ? secrets.decrypt(row.endpointCipher)
      : fields.endpoint
    : fields.endpoint && maskUrl(fields.endpoint);
  return compact({
    ...fields,
    endpoint,
    apiKey: secrets && row.apiKeyCipher ? secrets.decrypt(row.apiKeyCipher) : undefined,
    config: Object.keys(settings).length > 0 ? settings : undefined,
  });
}

export function routeRowToInput(row: RouteRow): RouteInput {
  const cache =
    row.cacheEnabled === null && row.cacheTtlSeconds === null
      ? undefined
      : compact({
          enabled: row.cacheEnabled ?? undefined,
          ttlSeconds: row.cacheTtlSeconds ?? undefined,
        });
  return compact({
    name: row.name,
    kind: asModelKind(row.kind),
    strategy: asStrategy(row.strategy),
    targets: [...row.targets]
      .sort((a, b) => a.position - b.position)
      .map((target) =>
        compact({
          provider: target.providerId,
          model: target.model ?? undefined,
          weight: target.weight,
        }),
      ),
    fallbacks: row.fallbacks,
    contextLengthFallback: row.contextLengthFallback ?? undefined,
    retryAttempts: row.retryAttempts ?? undefined,
    retryDelay: row.retryDelayMs ?? undefined,
    timeout: row.timeoutMs ?? undefined,
    requestTimeout: row.requestTimeoutMs ?? undefined,
    firstTokenTimeout: row.firstTokenTimeoutMs ?? undefined,
    maxTokens: row.maxTokens ?? undefined,
    cache,
    logBodies: row.logBodies ?? undefined,
  });
}

export function keyRowToInput(row: ApiKeyRow): ApiKeyInput {
  return compact({
    id: row.id,
    name: row.name,
    hash: row.hash,
    allowedRoutes: row.allowedRoutes,
    limits: keyLimits(row),
    monthlyBudgetUsd: row.monthlyBudgetUsd ?? undefined,
    expiresAt: row.expiresAt ?? undefined,
    strategy: asStrategy(row.strategy),
    logBodies: row.logBodies ?? undefined,
    revoked: row.revokedAt !== null,
  });
}

/** The global options that are set; the rest take core's defaults. */
export function settingsRowToInput(
  row: SettingsRow | null,
): Omit<ConfigInput, 'providers' | 'routes' | 'keys'> {
  if (!row) return {};
  const cache =
    row.cacheEnabled === null && row.cacheTtlSeconds === null && row.cacheMaxEntries === null
      ? undefined
      : compact({
          enabled: row.cacheEnabled ?? undefined,
          ttlSeconds: row.cacheTtlSeconds ?? undefined,
          maxEntries: row.cacheMaxEntries ?? undefined,
        });
  return compact({
    defaultProvider: row.defaultProvider ?? undefined,
    autoFallback: row.autoFallback ?? undefined,
    loadBalancing: asStrategy(row.loadBalancing),
    retryAttempts: row.retryAttempts ?? undefined,
    retryDelay: row.retryDelayMs ?? undefined,
    timeout: row.timeoutMs ?? undefined,
    requestTimeout: row.requestTimeoutMs ?? undefined,
    firstTokenTimeout: row.firstTokenTimeoutMs ?? undefined,
    enableHealthMonitoring: row.enableHealthMonitoring ?? undefined,
    healthCheckInterval: row.healthCheckIntervalMs ?? undefined,
    healthCheck: parseJson(healthCheckSchema, row.healthCheck),
    defaultRoute: row.defaultRoute ?? undefined,
    cache,
    maxRequestBodyBytes: row.maxRequestBodyBytes ?? undefined,
    circuitBreaker: parseJson(circuitBreakerSchema, row.circuitBreaker),
  });
}

export const providerInclude = { models: true } as const;
export const routeInclude = { targets: true } as const;

/** The whole configuration as rows say it; credentials decrypted only when `secrets` is given. */
export async function readConfigInput(client: DbClient, secrets?: SecretBox): Promise<ConfigInput> {
  const [providers, routes, keys, settings] = await Promise.all([
    client.provider.findMany({
      include: providerInclude,
      orderBy: [{ priority: 'asc' }, { id: 'asc' }],
    }),
    client.route.findMany({
      include: routeInclude,
      orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
    }),
    client.apiKey.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    client.settings.findUnique({ where: { id: 1 } }),
  ]);
  return {
    providers: providers.map((row) => providerRowToInput(row, secrets)),
    ...settingsRowToInput(settings),
    routes: routes.map(routeRowToInput),
    keys: keys.map(keyRowToInput),
  };
}
