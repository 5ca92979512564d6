import { keyLimitsSchema } from '@switchyard/core';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { fromRepository } from '../repository-errors.ts';
import { applyToRuntime } from './providers.ts';

const createKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name, e.g. the app that uses it.').max(100),
  allowedRoutes: z.array(z.string().min(1)).default([]),
  limits: keyLimitsSchema.optional(),
  monthlyBudgetUsd: z.number().nonnegative('must not be negative').optional(),
  expiresAt: z.coerce.date().optional(),
  /** Body logging for this key's requests; absent follows the route and Settings. */
  logBodies: z.boolean().optional(),
});

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
