// The imported price catalogue: one row holding the newest file an operator imported. Gateways
// use it instead of the built-in catalogue while its `asOf` is newer (`effectivePriceCatalogue`).
import {
  catalogueModelCount,
  newerCatalogue,
  priceCatalogueSchema,
  type PriceCatalogue,
} from '@switchyard/core';
import { writeAudit, type Actor } from './audit.ts';
import { announce, type RepositoryContext } from './context.ts';

export interface StoredCatalogueSummary {
  asOf: string;
  importedAt: Date;
  models: number;
}

export type CatalogueImportResult =
  | { imported: true; asOf: string; models: number }
  /** The file is not newer than the catalogue in effect: nothing changed. */
  | { imported: false; asOf: string; currentAsOf: string };

export interface PriceCatalogueRepository {
  /** The imported catalogue; undefined when none was imported or the row no longer parses. */
  stored(): Promise<PriceCatalogue | undefined>;
  summary(): Promise<StoredCatalogueSummary | undefined>;
  /**
   * Stores `catalogue` (already validated) when its `asOf` is newer than both `builtIn` and the
   * stored one, then tells running gateways.
   */
  importCatalogue(
    catalogue: PriceCatalogue,
    builtIn: PriceCatalogue,
    actor: Actor,
  ): Promise<CatalogueImportResult>;
}

const ROW_ID = 1;

export function createPriceCatalogueRepository(
  context: RepositoryContext,
): PriceCatalogueRepository {
  const client = context.db.prisma;
  const stored = async (): Promise<PriceCatalogue | undefined> => {
    const row = await client.priceCatalogue.findUnique({ where: { id: ROW_ID } });
    if (!row) return undefined;
    const parsed = priceCatalogueSchema.safeParse(row.catalogue);
    return parsed.success ? parsed.data : undefined;
  };
  return {
    stored,

    async summary() {
      const row = await client.priceCatalogue.findUnique({ where: { id: ROW_ID } });
      if (!row) return undefined;
      const parsed = priceCatalogueSchema.safeParse(row.catalogue);
      return {
        asOf: row.asOf,
        importedAt: row.importedAt,
        models: parsed.success ? catalogueModelCount(parsed.data) : 0,
      };
    },

    async importCatalogue(catalogue, builtIn, actor) {
      const current = newerCatalogue(builtIn, await stored()) ?? builtIn;
      if (catalogue.asOf <= current.asOf)
        return { imported: false, asOf: catalogue.asOf, currentAsOf: current.asOf };
      const models = catalogueModelCount(catalogue);
      await client.$transaction(async (tx) => {
        const data = { asOf: catalogue.asOf, catalogue, importedAt: new Date(context.clock.now()) };
        await tx.priceCatalogue.upsert({
          where: { id: ROW_ID },
          create: { id: ROW_ID, ...data },
          update: data,
        });
        await writeAudit(tx, actor, {
          action: 'import',
          entity: 'settings',
          entityId: 'price-catalogue',
          before: { asOf: current.asOf },
          after: { asOf: catalogue.asOf, models },
        });
      });
      await announce(context, ['settings']);
      return { imported: true, asOf: catalogue.asOf, models };
    },
  };
}

/** The catalogue gateways price with: the newer of the built-in and the imported one. */
export function effectivePriceCatalogue(
  builtIn: PriceCatalogue,
  imported: PriceCatalogue | undefined,
): PriceCatalogue {
  return newerCatalogue(builtIn, imported) ?? builtIn;
}
