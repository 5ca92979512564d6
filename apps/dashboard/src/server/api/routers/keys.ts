import { keyLimitsSchema } from '@switchyard/core';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { fromRepository } from '../repository-errors.ts';
import { applyToRuntime } from './providers.ts';

const keyName = z
  .string()
  .trim()
  .min(1, 'Give the key a name, e.g. the app that uses it.')
  .max(100);
const allowedRoutes = z.array(z.string().min(1));
const monthlyBudgetUsd = z.number().nonnegative('must not be negative');

const createKeySchema = z.object({
  name: keyName,
  allowedRoutes: allowedRoutes.default([]),
  limits: keyLimitsSchema.optional(),
  monthlyBudgetUsd: monthlyBudgetUsd.optional(),
  expiresAt: z.coerce.date().optional(),
  /** Body logging for this key's requests; absent follows the route and Settings. */
  logBodies: z.boolean().optional(),
});

/**
 * The fields of `create`, each optional; `null` clears a limit, the budget or the expiry. Flat, so
 * field errors carry the same paths as create's and one form shows both.
 */
const updateKeySchema = z
  .object({
    id: z.string().min(1),
    name: keyName.optional(),
    allowedRoutes: allowedRoutes.optional(),
    limits: keyLimitsSchema.nullable().optional(),
    monthlyBudgetUsd: monthlyBudgetUsd.nullable().optional(),
    expiresAt: z.coerce.date().nullable().optional(),
  })
  .strict();

const USAGE_PERIODS = { day: 1, week: 7, month: 30 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A key record without its digest: the browser needs the prefix, never the hash. */
function withoutHash<T extends object>(record: T): Omit<T, 'hash'> {
  const copy = { ...record } as T & { hash?: unknown };
  delete copy.hash;
  return copy;
}

export const keysRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    const [keys, spend] = await Promise.all([
      repositories.keys.list(),
      repositories.keys.monthToDateSpend(),
    ]);
    return keys.map((key) => ({ ...withoutHash(key), monthToDateUsd: spend.get(key.id) ?? 0 }));
  }),

  /** Creates a key; the plaintext is in this answer only. */
  create: adminProcedure.input(createKeySchema).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    const { record, key } = await fromRepository(
      () => services.repositories.keys.create(input, actorOf(ctx.session)),
      `A key named "${input.name}"`,
    );
    await applyToRuntime(services);
    return { record: withoutHash(record), key };
  }),

  /** Turns body logging on or off for one key, or back to following the route and Settings (null). */
  setLogBodies: adminProcedure
    .input(z.object({ id: z.string().min(1), logBodies: z.boolean().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      const record = await fromRepository(
        () =>
          services.repositories.keys.setLogBodies(input.id, input.logBodies, actorOf(ctx.session)),
        'The key',
      );
      await applyToRuntime(services);
      return withoutHash(record);
    }),

  /** Limits, budget, expiry, allowed routes or name; the running gateway has them on return. */
  update: adminProcedure.input(updateKeySchema).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    const { id, ...patch } = input;
    const record = await fromRepository(
      () => services.repositories.keys.update(id, patch, actorOf(ctx.session)),
      'The key',
    );
    await applyToRuntime(services);
    return withoutHash(record);
  }),

  /** A new secret for the same key; the old one is refused from the return on. Plaintext here only. */
  rotate: adminProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      const { record, key } = await fromRepository(
        () => services.repositories.keys.rotate(input.id, actorOf(ctx.session)),
        'The key',
      );
      await applyToRuntime(services);
      return { record: withoutHash(record), key };
    }),

  /** Requests, tokens and cost of one key over the last day, week or 30 days. */
  usage: protectedProcedure
    .input(
      z.object({
        id: z.string().min(1),
        period: z.enum(Object.keys(USAGE_PERIODS) as [keyof typeof USAGE_PERIODS]),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { repositories, clock } = await ctx.services();
      const until = new Date(clock.now());
      const since = new Date(until.getTime() - USAGE_PERIODS[input.period] * DAY_MS);
      const usage = await repositories.keys.usage(input.id, { since, until });
      return { ...usage, since, until };
    }),

  revoke: adminProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      await fromRepository(
        () => services.repositories.keys.revoke(input.id, actorOf(ctx.session)),
        'The key',
      );
      await applyToRuntime(services);
      return { id: input.id };
    }),
});
