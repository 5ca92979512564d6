// The price catalogue: dated list prices per vendor and model, in USD per million tokens. A
// built-in one ships with the adapters; an operator imports a newer file (a newer `asOf` wins).
import { z } from 'zod';

const price = z.number().nonnegative().max(100_000);

export const catalogueModelPricesSchema = z.strictObject({
  /** Prompt tokens not read from or written to a prompt cache. */
  input: price,
  output: price,
  /** Prompt tokens read from the vendor's prompt cache; the input price when absent. */
  cachedInput: price.optional(),
  /** Prompt tokens written to the vendor's prompt cache; the input price when absent. */
  cacheWrite: price.optional(),
  /** Reasoning tokens, where a vendor prices them apart from output; the output price when absent. */
  reasoning: price.optional(),
  /** Other ids the vendor accepts for the same model (`-latest`, undated names). */
  aliases: z.array(z.string().min(1)).max(50).optional(),
});

export const catalogueVendorSchema = z.strictObject({
  /** Where the prices were read, and anything a reader needs to know (tiers, regions). */
  source: z.string().min(1, 'must say where the prices come from').max(2000),
  /** The provider types whose models are looked up here first. */
  providerTypes: z.array(z.string().min(1)).min(1, 'must name at least one provider type'),
  models: z.record(z.string().min(1), catalogueModelPricesSchema),
});

export const priceCatalogueSchema = z.strictObject({
  /** The day the prices were checked (YYYY-MM-DD). */
  asOf: z.iso.date({ error: 'must be a date as YYYY-MM-DD' }),
  currency: z.literal('USD'),
  unit: z.literal('per-million-tokens'),
  vendors: z.record(z.string().min(1), catalogueVendorSchema),
});

export type CatalogueModelPrices = z.infer<typeof catalogueModelPricesSchema>;
export type PriceCatalogue = z.infer<typeof priceCatalogueSchema>;

/** The newer of two catalogues by `asOf`; the first on a tie. */
export function newerCatalogue(
  first: PriceCatalogue | undefined,
  second: PriceCatalogue | undefined,
): PriceCatalogue | undefined {
  if (!first) return second;
  if (!second) return first;
  return second.asOf > first.asOf ? second : first;
}

/** How many models a catalogue prices, aliases not counted. */
export function catalogueModelCount(catalogue: PriceCatalogue): number {
  let count = 0;
  for (const vendor of Object.values(catalogue.vendors)) count += Object.keys(vendor.models).length;
  return count;
}
