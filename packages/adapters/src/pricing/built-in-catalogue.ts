// The price catalogue that ships with Switchyard (price-catalogue.json): list prices of well-known
// models, dated. Applied to models that have no price of their own; a newer imported file wins.
import { priceCatalogueSchema, type PriceCatalogue } from '@switchyard/core';
import catalogueDocument from './price-catalogue.json' with { type: 'json' };

/** Parsed once, at first use: a broken file fails loudly in its test, not on a request. */
let parsed: PriceCatalogue | undefined;

export function builtInPriceCatalogue(): PriceCatalogue {
  parsed ??= priceCatalogueSchema.parse(catalogueDocument);
  return parsed;
}
