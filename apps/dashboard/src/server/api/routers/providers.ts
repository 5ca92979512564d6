import {
  createAdapter,
  isUpstreamError,
  parseConfig,
  type ModelInfo,
  type ProviderRegistry,
} from '@switchyard/core';
import type { ProviderRecord } from '@switchyard/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { badInput, isConfigError, issuesToFieldErrors } from '../field-errors.ts';
import { fromRepository } from '../repository-errors.ts';
import { groupHealth, healthEntries, healthHistory, providerStatuses } from '../health-view.ts';
import type { Services } from '../../services.ts';

/** What the provider form needs of a listed model; no vendor field beyond these reaches the browser. */
export function toDiscoveredModel(
  model: ModelInfo,
): Pick<ModelInfo, 'id' | 'kind' | 'dimensions' | 'contextWindow'> {
  return {
    id: model.id,
    ...(model.kind ? { kind: model.kind } : {}),
    ...(model.dimensions ? { dimensions: model.dimensions } : {}),
    ...(model.contextWindow ? { contextWindow: model.contextWindow } : {}),
  };
}

/** The provider config as the form sends it; checked against core's schema in `validateProvider`. */
const providerInputSchema = z.record(z.string(), z.unknown());
const idInput = z.object({ id: z.string().min(1) });

/** A stored secret, standing in during validation for a value the browser never sees. */
const STORED = '(stored)';

/** Validates with the same schema and checks the gateway applies when it loads its config. */
export function validateProvider(
  candidate: Record<string, unknown>,
  definitions: ProviderRegistry,
): void {
  try {
    parseConfig({ providers: [candidate] }, definitions);
  } catch (error) {
    if (isConfigError(error)) {
      const fieldErrors = issuesToFieldErrors(error.issues, 'providers[0]');
      throw badInput(
        `The provider is not valid: ${Object.entries(fieldErrors)
          .map(([path, message]) => `${path || 'provider'} ${message}`)
          .join('; ')}`,
        fieldErrors,
      );
    }
    throw error;
  }
}

/** The record with a patch applied, secrets the patch keeps filled with a placeholder. */
export function mergeForValidation(
  record: ProviderRecord,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const recordConfig = (record.config ?? {}) as Record<string, unknown>;
  const patchConfig = (patch.config ?? undefined) as Record<string, unknown> | undefined;
  const config: Record<string, unknown> = { ...(patchConfig ?? recordConfig) };
  for (const [key, value] of Object.entries(config)) if (value === undefined) delete config[key];
  if (patchConfig?.secretKey === undefined && record.hasSecretKey) config.secretKey = STORED;
  if (config.secretKey === '') delete config.secretKey;
  const apiKey =
    patch.apiKey === undefined
      ? record.hasApiKey
        ? STORED
        : undefined
      : patch.apiKey === ''
        ? undefined
        : patch.apiKey;
  const merged: Record<string, unknown> = { ...record, ...patch, config };
  delete merged.hasApiKey;
  delete merged.hasSecretKey;
  delete merged.createdAt;
  delete merged.updatedAt;
  if (apiKey === undefined) delete merged.apiKey;
  else merged.apiKey = apiKey;
  if (merged.endpoint === null || merged.endpoint === '') delete merged.endpoint;
  return merged;
}

/**
 * What an admin is told about a failed provider call: the classified failure, never the
 * upstream's own words (an endpoint may be any internal page, and its body is not ours to show).
 * Connection and timeout messages are the gateway's own and name only the origin.
 */
export function upstreamFailure(error: unknown): string {
  if (!isUpstreamError(error)) return 'the provider did not answer as expected';
  if (error.kind === 'connection' || error.kind === 'timeout') return error.message;
  const status = error.status === undefined ? '' : `HTTP ${error.status}, `;
  return `the provider answered with an error (${status}${error.kind.replace(/_/g, ' ')})`;
}

/** Applies configuration changes to the running gateway at once. */
export async function applyToRuntime(services: Services): Promise<void> {
  await services.runtime.reload();
}

/** Lists a provider's models through a ready adapter, as the form shows them. */
async function listModelsFor(
  list: (options: { signal: AbortSignal; deadline: number }) => Promise<ModelInfo[]>,
  now: number,
) {
  const timeoutMs = 10_000;
  try {
    const models = await list({
      signal: AbortSignal.timeout(timeoutMs),
      deadline: now + timeoutMs,
    });
    return models.map(toDiscoveredModel).sort((a, b) => a.id.localeCompare(b.id));
  } catch (error) {
    throw new TRPCError({
      code: 'BAD_GATEWAY',
      message: `The provider did not list its models: ${upstreamFailure(error)}`,
    });
  }
}

async function findProvider(services: Services, id: string): Promise<ProviderRecord> {
  const record = await services.repositories.providers.get(id);
  if (!record) throw new TRPCError({ code: 'NOT_FOUND', message: `There is no provider "${id}".` });
  return record;
}

export const providersRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const providers = await services.repositories.providers.list();
    return { providers, health: healthEntries(services), groups: await groupHealth(services) };
  }),

  /** Health, circuits, cool-downs and last errors per provider and model, with recent checks. */
  status: protectedProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const providers = providerStatuses(services);
    const history = await healthHistory(
      services,
      providers.map((provider) => provider.providerId),
    );
    return { providers, history };
  }),

  templates: protectedProcedure.query(async ({ ctx }) => {
    const { config } = await ctx.services();
    return config.providerTemplates;
  }),

  create: adminProcedure.input(providerInputSchema).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    validateProvider(input, services.definitions);
    const id = typeof input.id === 'string' ? input.id : '';
    const created = await fromRepository(
      () =>
        services.repositories.providers.create(
          input as Parameters<Services['repositories']['providers']['create']>[0],
          actorOf(ctx.session),
        ),
      `A provider with the id "${id}"`,
    );
    await applyToRuntime(services);
    return created;
  }),

  update: adminProcedure
    .input(z.object({ id: z.string().min(1), patch: providerInputSchema }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      const record = await findProvider(services, input.id);
      const patch = { ...input.patch };
      delete patch.id;
      validateProvider(mergeForValidation(record, patch), services.definitions);
      const updated = await fromRepository(
        () =>
          services.repositories.providers.update(
            input.id,
            patch as Parameters<Services['repositories']['providers']['update']>[1],
            actorOf(ctx.session),
          ),
        'The provider',
      );
      await applyToRuntime(services);
      return updated;
    }),

  setEnabled: adminProcedure
    .input(z.object({ id: z.string().min(1), enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      const updated = await fromRepository(
        () =>
          services.repositories.providers.setEnabled(input.id, input.enabled, actorOf(ctx.session)),
        'The provider',
      );
      await applyToRuntime(services);
      return updated;
    }),

  reorder: adminProcedure
    .input(z.object({ ids: z.array(z.string().min(1)).min(1) }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      await fromRepository(
        () => services.repositories.providers.reorder(input.ids, actorOf(ctx.session)),
        'A provider',
      );
      await applyToRuntime(services);
      return { ids: input.ids };
    }),

  remove: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    await fromRepository(
      () => services.repositories.providers.remove(input.id, actorOf(ctx.session)),
      'The provider',
    );
    await applyToRuntime(services);
    return { id: input.id };
  }),

  /** Runs the provider's health probe now (it reaches the upstream, hence admin only). */
  test: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    await findProvider(services, input.id);
    const result = await services.runtime.service.testProviderDetailed(input.id);
    return { ok: result.ok, latencyMs: result.latencyMs ?? null, error: result.error ?? null };
  }),

  /** Asks the provider which models it serves, with the kind and dimensions its listing gives. */
  discoverModels: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    await findProvider(services, input.id);
    return listModelsFor(
      () => services.runtime.service.listProviderModels(input.id),
      services.clock.now(),
    );
  }),

  /**
   * The same for a provider that is not saved yet: the form's config is validated like `create`,
   * used for one listing and dropped. Nothing is stored and the running gateway is not touched.
   */
  discoverDraftModels: adminProcedure
    .input(providerInputSchema)
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      // The form may not have a name yet; listing models does not need one.
      const candidate = { ...input, id: 'draft', name: 'draft', enabled: true };
      validateProvider(candidate, services.definitions);
      const [provider] = parseConfig({ providers: [candidate] }, services.definitions).providers;
      const adapter = provider ? createAdapter(services.definitions, provider) : undefined;
      if (!adapter)
        throw badInput(`Models cannot be listed for type "${String(input.type)}".`, {
          type: 'unknown type',
        });
      try {
        return await listModelsFor((options) => adapter.listModels(options), services.clock.now());
      } finally {
        await adapter.close?.().catch(() => undefined);
      }
    }),
});
