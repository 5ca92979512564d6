// The seed's global options (and the database's own: body logging, retention). Unset options
// take core's defaults, and the record shows the values in effect.
import {
  ConfigError,
  configSchema,
  toFieldIssues,
  type ConfigInput,
  type GatewayConfig,
} from '@switchyard/core';
import { z } from 'zod';
import { settingsRowToInput } from '../config/config-rows.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ensureSettingsRow, SETTINGS_ID } from '../secrets/verify-secret-key.ts';
import { writeAudit, type Actor } from './audit.ts';
import { changeConfig, type RepositoryContext } from './context.ts';
import { jsonOrNull, type DbClient } from './db-client.ts';

/** The seed's global options (and core's extensions) that live in the settings row. */
export type GlobalOptionName =
  | 'defaultProvider'
  | 'autoFallback'
  | 'loadBalancing'
  | 'retryAttempts'
  | 'retryDelay'
  | 'timeout'
  | 'requestTimeout'
  | 'firstTokenTimeout'
  | 'enableHealthMonitoring'
  | 'healthCheckInterval'
  | 'healthCheck'
  | 'defaultRoute'
  | 'cache'
  | 'maxRequestBodyBytes'
  | 'circuitBreaker';

export const GLOBAL_OPTIONS: readonly GlobalOptionName[] = [
  'defaultProvider',
  'autoFallback',
  'loadBalancing',
  'retryAttempts',
  'retryDelay',
  'timeout',
  'requestTimeout',
  'firstTokenTimeout',
  'enableHealthMonitoring',
  'healthCheckInterval',
  'healthCheck',
  'defaultRoute',
  'cache',
  'maxRequestBodyBytes',
  'circuitBreaker',
];

/** The keywords the seed's InferenceServiceFactory knows; anything else must be a provider id. */
export const DEFAULT_PROVIDER_KEYWORDS = ['lm-studio', 'cloud', 'auto'] as const;

const storageSettingsSchema = z.object({
  logBodies: z.boolean(),
  logBodyMaxBytes: z.number().int().min(256).max(1_048_576),
  viewersReadBodies: z.boolean(),
  healthRetentionDays: z.number().int().positive(),
  requestLogRetentionDays: z.number().int().positive(),
});

export type SettingsRecord = Pick<GatewayConfig, GlobalOptionName> & {
  /** Store request and response bodies in the request log (masked, capped). */
  logBodies: boolean;
  /** The most bytes of JSON kept per body. */
  logBodyMaxBytes: number;
  /** Viewers may read logged bodies; admins always can. */
  viewersReadBodies: boolean;
  healthRetentionDays: number;
  requestLogRetentionDays: number;
  updatedAt: Date;
};

/** Options to change; null returns an option to core's default. */
export type SettingsPatch = { [K in GlobalOptionName]?: ConfigInput[K] | null } & Partial<
  z.input<typeof storageSettingsSchema>
>;

export interface SettingsRepository {
  get(): Promise<SettingsRecord>;
  update(patch: SettingsPatch, actor: Actor): Promise<SettingsRecord>;
}

type SettingsRow = Prisma.SettingsGetPayload<object>;

export function toSettingsRecord(row: SettingsRow): SettingsRecord {
  const effective = configSchema.parse(settingsRowToInput(row));
  const record: Record<string, unknown> = {};
  for (const name of GLOBAL_OPTIONS)
    if (effective[name] !== undefined) record[name] = effective[name];
  return {
    ...(record as Pick<GatewayConfig, GlobalOptionName>),
    logBodies: row.logBodies,
    logBodyMaxBytes: row.logBodyMaxBytes,
    viewersReadBodies: row.viewersReadBodies,
    healthRetentionDays: row.healthRetentionDays,
    requestLogRetentionDays: row.requestLogRetentionDays,
    updatedAt: row.updatedAt,
  };
}

/** Column values for the global options in `input` (validated); options it leaves out become null. */
export function settingsData(input: Pick<ConfigInput, GlobalOptionName>) {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(toFieldIssues(result.error));
  const parsed = result.data;
  return {
    defaultProvider: input.defaultProvider ?? null,
    autoFallback: input.autoFallback ?? null,
    loadBalancing: input.loadBalancing ?? null,
    retryAttempts: input.retryAttempts ?? null,
    retryDelayMs: input.retryDelay ?? null,
    timeoutMs: input.timeout ?? null,
    requestTimeoutMs: input.requestTimeout ?? null,
    firstTokenTimeoutMs: input.firstTokenTimeout ?? null,
    enableHealthMonitoring: input.enableHealthMonitoring ?? null,
    healthCheckIntervalMs: input.healthCheckInterval ?? null,
    healthCheck: jsonOrNull(input.healthCheck === undefined ? undefined : parsed.healthCheck),
    defaultRoute: input.defaultRoute ?? null,
    cacheEnabled: input.cache?.enabled ?? null,
    cacheTtlSeconds: input.cache?.ttlSeconds ?? null,
    cacheMaxEntries: input.cache?.maxEntries ?? null,
    maxRequestBodyBytes: input.maxRequestBodyBytes ?? null,
    circuitBreaker: jsonOrNull(
      input.circuitBreaker === undefined ? undefined : parsed.circuitBreaker,
    ),
  } satisfies Prisma.SettingsUpdateInput;
}

/** The stored options with `patch` applied (null removes an option). */
export function applySettingsPatch(
  current: Pick<ConfigInput, GlobalOptionName>,
  patch: SettingsPatch,
): Pick<ConfigInput, GlobalOptionName> {
  const merged: Record<string, unknown> = { ...current };
  for (const name of GLOBAL_OPTIONS) {
    const value = patch[name];
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged;
}

export async function readSettingsRow(client: DbClient): Promise<SettingsRow> {
  await ensureSettingsRow(client);
  return client.settings.findUniqueOrThrow({ where: { id: SETTINGS_ID } });
}

async function checkDefaultProvider(client: DbClient, value: string | undefined): Promise<void> {
  if (value === undefined || (DEFAULT_PROVIDER_KEYWORDS as readonly string[]).includes(value))
    return;
  if (await client.provider.findUnique({ where: { id: value }, select: { id: true } })) return;
  throw new ConfigError([
    {
      path: 'defaultProvider',
      message: `must be ${DEFAULT_PROVIDER_KEYWORDS.map((keyword) => `"${keyword}"`).join(', ')} or a provider id; there is no provider "${value}"`,
    },
  ]);
}

export function createSettingsRepository(context: RepositoryContext): SettingsRepository {
  const { prisma } = context.db;

  return {
    async get() {
      return toSettingsRecord(await readSettingsRow(prisma));
    },

    async update(patch, actor) {
      const storage = storageSettingsSchema.partial().safeParse({
        logBodies: patch.logBodies,
        logBodyMaxBytes: patch.logBodyMaxBytes,
        viewersReadBodies: patch.viewersReadBodies,
        healthRetentionDays: patch.healthRetentionDays,
        requestLogRetentionDays: patch.requestLogRetentionDays,
      });
      if (!storage.success) throw new ConfigError(toFieldIssues(storage.error));
      return changeConfig(context, ['settings'], async (tx) => {
        const row = await readSettingsRow(tx);
        const options = applySettingsPatch(settingsRowToInput(row), patch);
        await checkDefaultProvider(tx, options.defaultProvider);
        const updated = await tx.settings.update({
          where: { id: SETTINGS_ID },
          data: {
            ...settingsData(options),
            ...Object.fromEntries(
              Object.entries(storage.data).filter(([, value]) => value !== undefined),
            ),
          },
        });
        const record = toSettingsRecord(updated);
        await writeAudit(tx, actor, {
          action: 'update',
          entity: 'settings',
          before: toSettingsRecord(row),
          after: record,
        });
        return record;
      });
    },
  };
}
