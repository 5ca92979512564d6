// Spend and prices: cost per key, route, provider or model over a time range (request-log sums in
// the database), the price catalogue in effect, and importing a newer catalogue file.
import { builtInPriceCatalogue } from '@switchyard/adapters';
import { catalogueModelCount, parseJsonSafe, priceCatalogueSchema } from '@switchyard/core';
import type { SpendDimension } from '@switchyard/db';
import { z } from 'zod';
import { actorOf } from '../actor.ts';
import { badInput } from '../field-errors.ts';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { applyToRuntime } from './providers.ts';

// Kept here, not imported from @switchyard/db: a value import would pull the database package
// (its migration code) into the Next.js build; the type keeps the two lists the same.
const SPEND_DIMENSIONS = [
  'key',
  'route',
  'provider',
  'model',
] as const satisfies readonly SpendDimension[];

/** Ranges the spend page offers, in hours. */
export const SPEND_RANGES = [1, 24, 24 * 7, 24 * 30] as const;
/** The largest catalogue file accepted, in characters. */
const MAX_CATALOGUE_CHARS = 1_000_000;

export const spendRouter = createTRPCRouter({
  byDimension: protectedProcedure
    .input(
      z.object({
        by: z.enum(SPEND_DIMENSIONS),
        hours: z.union(SPEND_RANGES.map((hours) => z.literal(hours))).default(24),
      }),
    )
    .query(async ({ ctx, input }) => {
      const services = await ctx.services();
      const until = new Date(services.clock.now() + 1);
      const since = new Date(until.getTime() - input.hours * 3_600_000);
      const rows = await services.repositories.spend.spend({ by: input.by, since, until });
      // Keys are shown by name: ids mean nothing to a reader.
      const names =
        input.by === 'key'
          ? new Map((await services.repositories.keys.list()).map((key) => [key.id, key.name]))
          : undefined;
      return {
        since,
        until,
        rows: rows.map((row) => ({
          ...row,
          label: row.group === null ? null : (names?.get(row.group) ?? row.group),
        })),
      };
    }),

  /** The catalogue gateways price with, and what an import would have to beat. */
  catalogue: protectedProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const builtIn = builtInPriceCatalogue();
    const imported = await services.repositories.prices.summary();
    const inEffect =
      imported && imported.asOf > builtIn.asOf
        ? { source: 'imported' as const, asOf: imported.asOf, models: imported.models }
        : { source: 'built-in' as const, asOf: builtIn.asOf, models: catalogueModelCount(builtIn) };
    return { inEffect, builtInAsOf: builtIn.asOf, importedAt: imported?.importedAt ?? null };
  }),

  /** Imports a catalogue file (the built-in file's format); only a newer `asOf` replaces. */
  importCatalogue: adminProcedure
    .input(z.object({ text: z.string().min(1, 'choose a file').max(MAX_CATALOGUE_CHARS) }))
    .mutation(async ({ ctx, input }) => {
      const document = parseJsonSafe(input.text);
      if (document === undefined) throw badInput('The file is not JSON.', { text: 'not JSON' });
      const parsed = priceCatalogueSchema.safeParse(document);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'the file';
        throw badInput(
          `The price catalogue is not valid: ${where} ${issue?.message ?? ''}`.trim(),
          {
            text: `${where}: ${issue?.message ?? 'invalid'}`,
          },
        );
      }
      const services = await ctx.services();
      const result = await services.repositories.prices.importCatalogue(
        parsed.data,
        builtInPriceCatalogue(),
        actorOf(ctx.session),
      );
      if (!result.imported)
        throw badInput(
          `The file's prices are as of ${result.asOf}; the catalogue in effect is as of ${result.currentAsOf}. Only a newer file replaces it.`,
          { text: 'not newer than the catalogue in effect' },
        );
      await applyToRuntime(services);
      return result;
    }),
});
