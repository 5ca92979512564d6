// pglite-prisma-adapter with two bugs of 0.7.2 fixed: `executeScript` and a transaction's
// `rollback` are not awaited. Un-awaited, a failing migration is recorded as applied and its
// error escapes as an unhandled rejection, and a rolled-back transaction may be committed.
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  Transaction,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

interface AdapterInternals {
  client: PGlite;
  onError(error: unknown): never;
}

interface TransactionInternals {
  client: PGliteTransaction;
  txDeferred: { resolve(): void };
  txResultPromise: Promise<unknown>;
}

function hasInternals<T>(value: unknown, fields: string[]): value is T {
  return value !== null && typeof value === 'object' && fields.every((field) => field in value);
}

function incompatible(what: string): Error {
  return new Error(
    `pglite-prisma-adapter changed its internals (${what}); re-check src/embedded/pglite-adapter.ts after upgrading it`,
  );
}

function fixAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (!hasInternals<AdapterInternals>(adapter, ['client', 'onError']))
    throw incompatible('adapter');
  const internals = adapter;
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.executeScript = async (script: string): Promise<void> => {
    try {
      await internals.client.exec(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  adapter.startTransaction = async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
    const transaction = await startTransaction(isolationLevel);
    if (
      !hasInternals<TransactionInternals>(transaction, ['client', 'txDeferred', 'txResultPromise'])
    )
      throw incompatible('transaction');
    const state = transaction;
    transaction.rollback = async (): Promise<void> => {
      await state.client.rollback();
      state.txDeferred.resolve();
      await state.txResultPromise;
    };
    return transaction;
  };
  return adapter;
}

/** A Prisma driver adapter factory over one PGlite instance, for the client and the schema engine. */
export function pgliteAdapterFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(pglite);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => fixAdapter(await factory.connect()),
    connectToShadowDb: async () => fixAdapter(await factory.connectToShadowDb()),
  };
}
