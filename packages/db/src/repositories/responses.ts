// Stored Responses API answers in the database: core's ResponseStore over the StoredResponse
// table, so `previous_response_id` works across restarts and across the instances sharing it.
import type { ResponseStore, StoredResponse } from '@switchyard/core';
import { toJson, type DbClient } from './db-client.ts';

type JsonObject = Record<string, unknown>;

export interface StoredResponsesRepository extends ResponseStore {
  /** Deletes stored responses older than `olderThan`; returns how many. */
  prune(olderThan: Date): Promise<number>;
}

interface StoredResponseRow {
  id: string;
  createdAt: Date;
  keyId: string | null;
  nativeProvider: string | null;
  response: unknown;
  inputItems: unknown;
  history: unknown;
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

function toRecord(row: StoredResponseRow): StoredResponse {
  return {
    id: row.id,
    keyId: row.keyId,
    createdAt: row.createdAt.getTime(),
    response: (row.response ?? {}) as JsonObject,
    inputItems: objects(row.inputItems),
    history: objects(row.history),
    ...(row.nativeProvider ? { nativeProvider: row.nativeProvider } : {}),
  };
}

export function createStoredResponsesRepository(client: DbClient): StoredResponsesRepository {
  return {
    async get(id) {
      const row = await client.storedResponse.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },

    async put(record) {
      const data = {
        createdAt: new Date(record.createdAt),
        keyId: record.keyId,
        nativeProvider: record.nativeProvider ?? null,
        response: toJson(record.response),
        inputItems: toJson(record.inputItems),
        history: toJson(record.history),
      };
      await client.storedResponse.upsert({
        where: { id: record.id },
        create: { id: record.id, ...data },
        update: data,
      });
    },

    async delete(id) {
      const { count } = await client.storedResponse.deleteMany({ where: { id } });
      return count > 0;
    },

    async prune(olderThan) {
      const { count } = await client.storedResponse.deleteMany({
        where: { createdAt: { lt: olderThan } },
      });
      return count;
    },
  };
}
