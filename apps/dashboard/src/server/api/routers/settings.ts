import { parseConfigText, STRATEGIES } from '@switchyard/core';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { badInput, isConfigError, issuesToFieldErrors } from '../field-errors.ts';
import { fromRepository } from '../repository-errors.ts';
import { applyToRuntime } from './providers.ts';
import { withEntityNames } from '../audit-names.ts';

/** The seed's global options plus cache and logging; every field optional (a patch). */
export const settingsPatchSchema = z
  .object({
    defaultProvider: z.string().min(1, 'choose a default provider'),
    autoFallback: z.boolean(),
    loadBalancing: z.enum(STRATEGIES),
    retryAttempts: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(10, 'must be at most 10'),
    retryDelay: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
    timeout: z.number().int('must be a whole number').positive('must be more than 0'),
    enableHealthMonitoring: z.boolean(),
    healthCheckInterval: z
      .number()
      .int('must be a whole number')
      .min(1000, 'must be at least 1000 ms'),
    healthCheck: z
      .object({
        url: z.string().min(1, 'must not be empty'),
        method: z.enum(['GET', 'HEAD', 'POST']),
        expectedStatus: z.number().int().min(100).max(599),
        timeout: z.number().int().positive(),
      })
      .nullable(),
    defaultRoute: z.string().min(1).nullable(),
    cache: z.object({
      enabled: z.boolean(),
      ttlSeconds: z.number().int().positive('must be more than 0'),
      maxEntries: z.number().int().positive('must be more than 0'),
    }),
    logBodies: z.boolean(),
    logBodyMaxBytes: z
      .number()
      .int()
      .min(256, 'must be at least 256 bytes')
      .max(1_048_576, 'must be at most 1 MiB'),
    viewersReadBodies: z.boolean(),
  })
  .partial();

const importSchema = z.object({
  text: z.string().min(1, 'Paste or choose a config file first.').max(5_000_000),
  format: z.enum(['json', 'yaml']),
});

export const settingsRouter = createTRPCRouter({
  get: protectedProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    return repositories.settings.get();
  }),

  update: adminProcedure.input(settingsPatchSchema).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    const saved = await fromRepository(
      () =>
        services.repositories.settings.update(
          input as Parameters<typeof services.repositories.settings.update>[0],
          actorOf(ctx.session),
        ),
      'The settings',
    );
    await applyToRuntime(services);
    return saved;
  }),

  /** The whole configuration as a file, secrets omitted. */
  exportConfig: adminProcedure
    .input(z.object({ format: z.enum(['json', 'yaml']) }))
    .query(async ({ ctx, input }) => {
      const { config: files } = await ctx.services();
      const config = await files.exportConfig();
      return input.format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : toYaml(config);
    }),

  /** Imports a seed-shaped or extended config file: all or nothing. */
  importConfig: adminProcedure.input(importSchema).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    try {
      const parsed = parseConfigText(
        input.text,
        input.format === 'json' ? 'config.json' : 'config.yaml',
      );
      const summary = await services.config.importConfig(parsed, actorOf(ctx.session));
      await applyToRuntime(services);
      return summary;
    } catch (error) {
      if (isConfigError(error)) throw badInput(error.message, issuesToFieldErrors(error.issues));
      throw error;
    }
  }),
});

export const auditRouter = createTRPCRouter({
  list: protectedProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().optional(),
        entity: z
          .enum(['provider', 'route', 'key', 'settings', 'user', 'config', 'webhook'])
          .optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { repositories } = await ctx.services();
      const page = await repositories.audit.list(input);
      return { ...page, items: await withEntityNames(page.items, repositories) };
    }),
});
