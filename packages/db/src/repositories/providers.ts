// Providers: the seed's provider entries, credentials encrypted, never returned.
import {
  ConfigError,
  parseConfig,
  type ModelConfig,
  type ProviderConfig,
  type ProviderInput,
  type ProviderRegistry,
  type ProviderSettings,
} from '@switchyard/core';
import {
  providerFields,
  providerInclude,
  providerRowToInput,
  providerSettings,
  type ProviderRow,
} from '../config/config-rows.ts';
import { ConflictError, NotFoundError, translateErrors } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import {
  keepMaskedEndpoint,
  keepMaskedHeaders,
  maskHeaders,
  maskUrl,
  sealProviderCredentials,
} from '../secrets/provider-credentials.ts';
import { writeAudit, type Actor } from './audit.ts';
import { changeConfig, type RepositoryContext } from './context.ts';
import { jsonOrNull, toJson, type DbClient } from './db-client.ts';

/** A provider as the dashboard sees it: everything but the credentials, and whether each is set. */
export interface ProviderRecord {
  id: string;
  name: string;
  type: ProviderConfig['type'];
  endpoint?: string;
  /** Non-secret settings; `secretKey` and `sessionToken` are never included. */
  config: ProviderSettings & { secretKey?: never; sessionToken?: never };
  priority: number;
  enabled: boolean;
  weight: number;
  models: ModelConfig[];
  limits?: ProviderConfig['limits'];
  healthCheck?: ProviderConfig['healthCheck'];
  timeout?: number;
  hasApiKey: boolean;
  hasSecretKey: boolean;
  hasSessionToken: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A change to a provider. Credentials (`apiKey`, `config.secretKey`, `config.sessionToken`):
 * undefined keeps, '' clears, a value replaces. Other fields: undefined keeps, null clears;
 * `config` and `models` replace the whole value.
 */
export type ProviderPatch = { [K in Exclude<keyof ProviderInput, 'id'>]?: ProviderInput[K] | null };

export interface ProvidersRepository {
  /** In priority order. */
  list(): Promise<ProviderRecord[]>;
  get(id: string): Promise<ProviderRecord | null>;
  create(input: ProviderInput, actor: Actor): Promise<ProviderRecord>;
  update(id: string, patch: ProviderPatch, actor: Actor): Promise<ProviderRecord>;
  /** Refused with `ConflictError` while a route targets the provider. */
  remove(id: string, actor: Actor): Promise<void>;
  setEnabled(id: string, enabled: boolean, actor: Actor): Promise<ProviderRecord>;
  /** Priorities 1, 2, 3 … in this order; providers not listed follow in their current order. */
  reorder(idsInPriorityOrder: string[], actor: Actor): Promise<void>;
}

export function toProviderRecord(row: ProviderRow): ProviderRecord {
  const settings = providerSettings(row);
  delete settings.secretKey;
  delete settings.sessionToken;
  const headers = maskHeaders(settings.headers);
  if (headers) settings.headers = headers;
  const fields = providerFields(row);
  return {
    ...fields,
    ...(fields.endpoint === undefined ? {} : { endpoint: maskUrl(fields.endpoint) }),
    config: settings,
    hasApiKey: row.apiKeyCipher !== null,
    hasSecretKey: row.secretKeyCipher !== null,
    hasSessionToken: row.sessionTokenCipher !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Validates one provider with core's rules; issue paths are relative to the provider. */
export function parseProvider(input: ProviderInput, definitions: ProviderRegistry): ProviderConfig {
  try {
    const [provider] = parseConfig({ providers: [input] }, definitions).providers;
    if (!provider) throw new Error('parseConfig dropped the provider');
    return provider;
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError(
        error.issues.map((issue) => ({
          path: issue.path.replace(/^providers\[0\]\.?/, ''),
          message: issue.message,
        })),
      );
    throw error;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A credential setting as given: only strings are credentials. */
function secretSetting(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Column values for a validated provider; `endpoint` as given, so a type's default can follow core. */
export function providerData(input: ProviderInput, parsed: ProviderConfig, secrets: SecretBox) {
  const { secretKey, sessionToken, ...settings } = (parsed.config ?? {}) as Record<string, unknown>;
  const apiKey = nonEmpty(parsed.apiKey);
  const secretKeyValue = nonEmpty(secretKey);
  const sessionTokenValue = nonEmpty(sessionToken);
  const sealed = sealProviderCredentials(nonEmpty(input.endpoint), settings.headers, secrets);
  if (sealed.headers) settings.headers = sealed.headers;
  return {
    name: parsed.name,
    type: parsed.type,
    endpoint: sealed.endpoint,
    endpointCipher: sealed.endpointCipher,
    apiKeyCipher: apiKey ? secrets.encrypt(apiKey) : null,
    secretKeyCipher: secretKeyValue ? secrets.encrypt(secretKeyValue) : null,
    sessionTokenCipher: sessionTokenValue ? secrets.encrypt(sessionTokenValue) : null,
    headersCipher: sealed.headersCipher,
    settings: toJson(settings),
    priority: parsed.priority,
    enabled: parsed.enabled,
    weight: parsed.weight,
    limits: jsonOrNull(parsed.limits),
    healthCheck: jsonOrNull(parsed.healthCheck),
    timeoutMs: parsed.timeout ?? null,
  } satisfies Omit<Prisma.ProviderUncheckedCreateInput, 'id'>;
}

export async function replaceModels(
  client: DbClient,
  providerId: string,
  models: ModelConfig[],
): Promise<void> {
  await client.providerModel.deleteMany({ where: { providerId } });
  if (models.length === 0) return;
  await client.providerModel.createMany({
    data: models.map((model, position) => ({
      providerId,
      position,
      name: model.name,
      vendorModelId: model.id ?? null,
      inputPricePerMTok: model.inputPricePerMTok ?? null,
      outputPricePerMTok: model.outputPricePerMTok ?? null,
      contextWindow: model.contextWindow ?? null,
      kind: model.kind ?? null,
      dimensions: model.dimensions ?? null,
      space: model.space ?? null,
    })),
  });
}

/** A masked endpoint or header value sent back (from a form or an export) keeps the stored one. */
function keepMaskedCredentials(current: ProviderInput, patch: ProviderPatch): ProviderPatch {
  const kept: ProviderPatch = { ...patch };
  if (typeof patch.endpoint === 'string')
    kept.endpoint = keepMaskedEndpoint(patch.endpoint, current.endpoint) as string;
  const headers = patch.config?.headers;
  if (patch.config && headers !== undefined)
    kept.config = {
      ...patch.config,
      headers: keepMaskedHeaders(headers, current.config?.headers),
    };
  return kept;
}

/** The stored provider with `patch` applied; credentials follow the keep / clear / replace rule. */
export function applyProviderPatch(current: ProviderInput, given: ProviderPatch): ProviderInput {
  const patch = keepMaskedCredentials(current, given);
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (field === 'id' || field === 'apiKey' || field === 'config' || value === undefined) continue;
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  const currentSettings = current.config ?? {};
  const settings: Record<string, unknown> =
    patch.config === undefined ? { ...currentSettings } : { ...(patch.config ?? {}) };
  const secret = (value: string | undefined, kept: string | undefined) =>
    value === undefined ? kept : value === '' ? undefined : value;
  const secretKey = secret(
    secretSetting(patch.config?.secretKey),
    secretSetting(currentSettings.secretKey),
  );
  const sessionToken = secret(
    secretSetting(patch.config?.sessionToken),
    secretSetting(currentSettings.sessionToken),
  );
  delete settings.secretKey;
  delete settings.sessionToken;
  if (secretKey !== undefined) settings.secretKey = secretKey;
  if (sessionToken !== undefined) settings.sessionToken = sessionToken;
  const apiKey = secret(patch.apiKey ?? undefined, current.apiKey);
  const result = { ...merged, config: settings } as ProviderInput;
  if (apiKey === undefined) delete result.apiKey;
  else result.apiKey = apiKey;
  return result;
}

function originOf(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    return new URL(endpoint).origin;
  } catch {
    return endpoint;
  }
}

const CREDENTIAL_FIELDS = [
  ['apiKey', (provider: ProviderInput) => provider.apiKey],
  ['config.secretKey', (provider: ProviderInput) => provider.config?.secretKey],
  ['config.sessionToken', (provider: ProviderInput) => provider.config?.sessionToken],
] as const;

/**
 * A stored credential is never sent to a new host: when a change moves the provider's endpoint
 * to another origin, every credential it keeps must be entered again. Throws `ConfigError`
 * naming the fields (relative to the provider).
 */
export function checkCredentialsFollowEndpoint(
  before: ProviderConfig,
  after: ProviderConfig,
  patch: { apiKey?: unknown; config?: unknown },
): void {
  const settings = (
    patch.config !== null && typeof patch.config === 'object' ? patch.config : {}
  ) as Record<string, unknown>;
  if (originOf(before.endpoint) === originOf(after.endpoint)) return;
  const given: Record<string, unknown> = {
    apiKey: patch.apiKey,
    'config.secretKey': settings.secretKey,
    'config.sessionToken': settings.sessionToken,
  };
  const kept = CREDENTIAL_FIELDS.filter(
    ([field, read]) => read(before) !== undefined && given[field] === undefined,
  );
  if (kept.length === 0) return;
  throw new ConfigError(
    kept.map(([field]) => ({
      path: field,
      message: `must be entered again: the endpoint moved to ${originOf(after.endpoint) ?? 'the default endpoint'}, and a stored credential is not sent to another host`,
    })),
  );
}

async function findProvider(client: DbClient, id: string): Promise<ProviderRow> {
  const row = await client.provider.findUnique({ where: { id }, include: providerInclude });
  if (!row) throw new NotFoundError('provider', id);
  return row;
}

export function createProvidersRepository(context: RepositoryContext): ProvidersRepository {
  const { prisma, secrets } = context.db;

  return {
    async list() {
      const rows = await prisma.provider.findMany({
        include: providerInclude,
        orderBy: [{ priority: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toProviderRecord);
    },

    async get(id) {
      const row = await prisma.provider.findUnique({ where: { id }, include: providerInclude });
      return row ? toProviderRecord(row) : null;
    },

    async create(input, actor) {
      const parsed = parseProvider(input, context.definitions);
      return changeConfig(context, ['providers'], async (tx) => {
        const row = await translateErrors(
          () =>
            tx.provider.create({
              data: { id: parsed.id, ...providerData(input, parsed, secrets) },
              include: providerInclude,
            }),
          `A provider with id "${parsed.id}" already exists`,
        );
        await replaceModels(tx, parsed.id, parsed.models);
        const record = toProviderRecord(await findProvider(tx, parsed.id));
        await writeAudit(tx, actor, {
          action: 'create',
          entity: 'provider',
          entityId: row.id,
          after: record,
        });
        return record;
      });
    },

    async update(id, patch, actor) {
      return changeConfig(context, ['providers'], async (tx) => {
        const currentRow = await findProvider(tx, id);
        const current = providerRowToInput(currentRow, secrets);
        const merged = applyProviderPatch(current, patch);
        const parsed = parseProvider({ ...merged, id }, context.definitions);
        checkCredentialsFollowEndpoint(parseProvider(current, context.definitions), parsed, patch);
        await tx.provider.update({ where: { id }, data: providerData(merged, parsed, secrets) });
        if (patch.models !== undefined) await replaceModels(tx, id, parsed.models);
        const record = toProviderRecord(await findProvider(tx, id));
        await writeAudit(tx, actor, {
          action: 'update',
          entity: 'provider',
          entityId: id,
          before: toProviderRecord(currentRow),
          after: record,
        });
        return record;
      });
    },

    async remove(id, actor) {
      await changeConfig(context, ['providers'], async (tx) => {
        const row = await findProvider(tx, id);
        const targets = await tx.routeTarget.findMany({
          where: { providerId: id },
          select: { routeName: true },
          distinct: ['routeName'],
        });
        if (targets.length > 0)
          throw new ConflictError(
            `Provider "${id}" is a target of route${targets.length > 1 ? 's' : ''} ${targets.map((target) => `"${target.routeName}"`).join(', ')}; remove it from ${targets.length > 1 ? 'those routes' : 'that route'} first`,
          );
        await tx.provider.delete({ where: { id } });
        await tx.healthCheckResult.deleteMany({ where: { providerId: id } });
        await writeAudit(tx, actor, {
          action: 'delete',
          entity: 'provider',
          entityId: id,
          before: toProviderRecord(row),
        });
      });
    },

    async setEnabled(id, enabled, actor) {
      return changeConfig(context, ['providers'], async (tx) => {
        const before = toProviderRecord(await findProvider(tx, id));
        await tx.provider.update({ where: { id }, data: { enabled } });
        const record = toProviderRecord(await findProvider(tx, id));
        await writeAudit(tx, actor, {
          action: enabled ? 'enable' : 'disable',
          entity: 'provider',
          entityId: id,
          before,
          after: record,
        });
        return record;
      });
    },

    async reorder(idsInPriorityOrder, actor) {
      await changeConfig(context, ['providers'], async (tx) => {
        const rows = await tx.provider.findMany({
          select: { id: true },
          orderBy: [{ priority: 'asc' }, { id: 'asc' }],
        });
        const known = new Set(rows.map((row) => row.id));
        const listed = [...new Set(idsInPriorityOrder)];
        for (const id of listed) if (!known.has(id)) throw new NotFoundError('provider', id);
        const order = [
          ...listed,
          ...rows.map((row) => row.id).filter((id) => !listed.includes(id)),
        ];
        for (const [index, id] of order.entries())
          await tx.provider.update({ where: { id }, data: { priority: index + 1 } });
        await writeAudit(tx, actor, {
          action: 'reorder',
          entity: 'provider',
          before: rows.map((row) => row.id),
          after: order,
        });
      });
    },
  };
}
