// Prices and costs: the catalogue format and the lookup that turns usage into USD.
export {
  catalogueModelCount,
  catalogueModelPricesSchema,
  catalogueVendorSchema,
  newerCatalogue,
  priceCatalogueSchema,
} from './price-catalogue.ts';
export type { CatalogueModelPrices, PriceCatalogue } from './price-catalogue.ts';
export { PriceBook, usageCost } from './price-book.ts';
export type { ModelPrices, PricedModel } from './price-book.ts';
