// The Prisma client or an interactive transaction's client, and JSON column helpers.
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

export type DbClient = PrismaClient | Prisma.TransactionClient;

/** PGlite serialises all queries, so a long import must not hit Prisma's 5 s default. */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/** A value for a nullable Json column: SQL NULL when absent. */
export function jsonOrNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : toJson(value);
}

/** Plain JSON (Dates become ISO strings, undefined properties disappear). */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** The object without its undefined properties, so exported config and records stay tidy. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
