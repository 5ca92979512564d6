// The request log: one row per proxied request, written by the gateway in batches; listed,
// filtered and aggregated for the dashboard.
import { randomUUID } from 'node:crypto';
import type { AttemptRecord, ClientDialect, Clock, RequestOutcome } from '@switchyard/core';
import { Prisma } from '../generated/prisma/client.ts';
import { compact, type DbClient } from './db-client.ts';

/**
 * One row to write: core's outcome of a request, stamped with when it arrived (a Date or epoch
 * milliseconds) and always with its attempt trail, plus the bodies when body logging is on.
 */
export interface RequestLogInput extends Omit<RequestOutcome, 'startedAt' | 'attemptTrail'> {
  id?: string;
  createdAt: Date | number;
  attemptTrail: AttemptRecord[];
  /** Only when body logging is on. */
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface RequestLogRecord extends Omit<RequestLogInput, 'id' | 'createdAt' | 'cache'> {
  id: string;
  createdAt: Date;
  /** As stored: a string column. */
  cache?: string;
}

/** A request counts as failed when its status is 4xx/5xx or it ended with an error (a stream cut after the first token). */
export type RequestOutcomeFilter = 'success' | 'error';

export interface RequestLogFilter {
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  provider?: string;
  route?: string;
  keyId?: string;
  /** The model that answered (or was asked for, when none did). */
  model?: string;
  dialect?: ClientDialect;
  status?: RequestOutcomeFilter;
  /** Only requests that took more than one attempt (a retry or a failover). */
  failover?: boolean;
  /**
   * Text to find in the stored request or response body (case-insensitive). Rows without bodies
   * never match; who may search is the caller's decision, as for reading bodies.
   */
  search?: string;
  /** Inclusive lower bound (Date or epoch milliseconds). */
  since?: Date | number;
  /** Exclusive upper bound (Date or epoch milliseconds). */
  until?: Date | number;
}

export interface StatsBucket {
  /** Start of the bucket. */
  start: Date;
  requests: number;
  errors: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p50FirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface RequestLogsRepository {
  /** One statement per batch; rows whose id already exists are skipped, so a retried batch is harmless. */
  insertMany(rows: RequestLogInput[]): Promise<void>;
  /** Newest first. */
  list(filter: RequestLogFilter): Promise<{ items: RequestLogRecord[]; nextCursor?: string }>;
  get(id: string): Promise<RequestLogRecord | null>;
  /**
   * Per `bucketMs` bucket from `sinceMs` (epoch milliseconds) until now, oldest first, including empty
   * buckets: requests, errors, p50/p95 latency, p50 first-token latency, tokens and cost.
   */
  stats(sinceMs: number, bucketMs: number): Promise<StatsBucket[]>;
  /** Deletes rows older than `olderThan`; returns how many. */
  prune(olderThan: Date): Promise<number>;
}

/** Keeps a dashboard query from asking for millions of buckets. */
export const MAX_STATS_BUCKETS = 10_000;
export const MAX_PAGE_SIZE = 500;

type RequestLogRow = Prisma.RequestLogGetPayload<object>;

function toRequestLogRecord(row: RequestLogRow): RequestLogRecord {
  return compact({
    id: row.id,
    createdAt: row.createdAt,
    requestId: row.requestId,
    dialect: (row.dialect ?? undefined) as ClientDialect | undefined,
    keyId: row.keyId ?? undefined,
    route: row.route ?? undefined,
    provider: row.provider ?? undefined,
    model: row.model ?? undefined,
    status: row.status,
    stream: row.stream,
    attempts: row.attempts,
    attemptTrail: Array.isArray(row.attemptTrail)
      ? (row.attemptTrail as unknown as AttemptRecord[])
      : [],
    latencyMs: row.latencyMs,
    firstTokenMs: row.firstTokenMs ?? undefined,
    inputTokens: row.inputTokens ?? undefined,
    outputTokens: row.outputTokens ?? undefined,
    usageEstimated: row.usageEstimated || undefined,
    cachedInputTokens: row.cachedInputTokens ?? undefined,
    cacheWriteTokens: row.cacheWriteTokens ?? undefined,
    reasoningTokens: row.reasoningTokens ?? undefined,
    costUsd: row.costUsd ?? undefined,
    errorKind: row.errorKind ?? undefined,
    errorMessage: row.errorMessage ?? undefined,
    cache: row.cache ?? undefined,
    requestBody: row.requestBody ?? undefined,
    responseBody: row.responseBody ?? undefined,
  });
}

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.getTime(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string')
      return { createdAt: new Date(value[0]), id: value[1] };
  } catch {
    // A cursor we did not write starts from the top.
  }
  return undefined;
}

/** Longest search text accepted; a body search is a scan, so keep the pattern small. */
export const MAX_SEARCH_LENGTH = 200;

/**
 * The needle as it appears in a body's JSON text (quotes and backslashes escaped as JSON does),
 * with LIKE's wildcards escaped, so `50%_off` matches itself and nothing else.
 */
export function bodySearchPattern(search: string): string {
  const asJson = JSON.stringify(search).slice(1, -1);
  return `%${asJson.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function filterConditions(filter: RequestLogFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.provider) conditions.push(Prisma.sql`"provider" = ${filter.provider}`);
  if (filter.route) conditions.push(Prisma.sql`"route" = ${filter.route}`);
  if (filter.keyId) conditions.push(Prisma.sql`"keyId" = ${filter.keyId}`);
  if (filter.model) conditions.push(Prisma.sql`"model" = ${filter.model}`);
  if (filter.dialect) conditions.push(Prisma.sql`"dialect" = ${filter.dialect}`);
  if (filter.status === 'error')
    conditions.push(Prisma.sql`("status" >= 400 OR "errorKind" IS NOT NULL)`);
  if (filter.status === 'success')
    conditions.push(Prisma.sql`("status" < 400 AND "errorKind" IS NULL)`);
  if (filter.failover) conditions.push(Prisma.sql`"attempts" > 1`);
  if (filter.since !== undefined)
    conditions.push(Prisma.sql`"createdAt" >= ${new Date(filter.since)}`);
  if (filter.until !== undefined)
    conditions.push(Prisma.sql`"createdAt" < ${new Date(filter.until)}`);
  const search = filter.search?.trim();
  if (search) {
    const pattern = bodySearchPattern(search.slice(0, MAX_SEARCH_LENGTH));
    conditions.push(
      Prisma.sql`("requestBody"::text ILIKE ${pattern} OR "responseBody"::text ILIKE ${pattern})`,
    );
  }
  return conditions;
}

const COLUMNS = Prisma.raw(
  [
    'id',
    'createdAt',
    'requestId',
    'dialect',
    'keyId',
    'route',
    'provider',
    'model',
    'status',
    'stream',
    'attempts',
    'attemptTrail',
    'latencyMs',
    'firstTokenMs',
    'inputTokens',
    'outputTokens',
    'usageEstimated',
    'costUsd',
    'errorKind',
    'errorMessage',
    'cache',
    'requestBody',
    'responseBody',
  ]
    .map((column) => `"${column}"`)
    .join(', '),
);

function integer(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}

interface StatsRow {
  bucket: number;
  requests: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p50_first_token: number | null;
  input_tokens: number;
  output_tokens: number;
  cost: number;
}

export function createRequestLogsRepository(client: DbClient, clock: Clock): RequestLogsRepository {
  return {
    async insertMany(rows) {
      if (rows.length === 0) return;
      // One statement of column arrays, whatever the batch size: the gateway writes thousands of
      // rows a second, and a per-row INSERT (or createMany) costs far more to build than to run.
      const text = (pick: (row: RequestLogInput) => string | null | undefined) =>
        rows.map((row) => pick(row) ?? null);
      const number = (pick: (row: RequestLogInput) => number | null | undefined) =>
        rows.map((row) => integer(pick(row) ?? undefined));
      const json = (value: unknown) =>
        value === undefined || value === null ? null : JSON.stringify(value);
      await client.$executeRawUnsafe(
        `INSERT INTO "RequestLog" ("id", "createdAt", "requestId", "keyId", "route", "provider", "model", "status", "stream", "attempts",
           "attemptTrail", "latencyMs", "firstTokenMs", "inputTokens", "outputTokens", "costUsd", "errorKind", "errorMessage", "cache",
           "requestBody", "responseBody", "dialect", "usageEstimated", "cachedInputTokens", "cacheWriteTokens", "reasoningTokens")
         SELECT * FROM UNNEST($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
           $9::boolean[], $10::int[], $11::jsonb[], $12::int[], $13::int[], $14::int[], $15::int[], $16::float8[], $17::text[],
           $18::text[], $19::text[], $20::jsonb[], $21::jsonb[], $22::text[], $23::boolean[], $24::int[], $25::int[], $26::int[])
         ON CONFLICT ("id") DO NOTHING`,
        rows.map((row) => row.id ?? randomUUID()),
        rows.map((row) => new Date(row.createdAt).toISOString()),
        text((row) => row.requestId),
        text((row) => row.keyId),
        text((row) => row.route),
        text((row) => row.provider),
        text((row) => row.model),
        number((row) => row.status),
        rows.map((row) => row.stream),
        number((row) => row.attempts),
        rows.map((row) => JSON.stringify(row.attemptTrail ?? [])),
        number((row) => Math.round(row.latencyMs)),
        number((row) => row.firstTokenMs),
        number((row) => row.inputTokens),
        number((row) => row.outputTokens),
        rows.map((row) => row.costUsd ?? null),
        text((row) => row.errorKind),
        text((row) => row.errorMessage),
        text((row) => row.cache),
        rows.map((row) => json(row.requestBody)),
        rows.map((row) => json(row.responseBody)),
        text((row) => row.dialect),
        rows.map((row) => row.usageEstimated === true),
        number((row) => row.cachedInputTokens),
        number((row) => row.cacheWriteTokens),
        number((row) => row.reasoningTokens),
      );
    },

    async list(filter) {
      const limit = Math.min(Math.max(1, Math.trunc(filter.limit)), MAX_PAGE_SIZE);
      const cursor = filter.cursor ? decodeCursor(filter.cursor) : undefined;
      const conditions = filterConditions(filter);
      if (cursor)
        conditions.push(Prisma.sql`("createdAt", "id") < (${cursor.createdAt}, ${cursor.id})`);
      const where =
        conditions.length > 0
          ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`
          : Prisma.empty;
      const rows = await client.$queryRaw<RequestLogRow[]>`
        SELECT ${COLUMNS} FROM "RequestLog" ${where}
        ORDER BY "createdAt" DESC, "id" DESC
        LIMIT ${limit + 1}`;
      const items = rows.slice(0, limit).map(toRequestLogRecord);
      const last = rows[limit - 1];
      return rows.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
    },

    async get(id) {
      const row = await client.requestLog.findUnique({ where: { id } });
      return row ? toRequestLogRecord(row) : null;
    },

    async stats(sinceMs, bucketMs) {
      if (!(bucketMs >= 1)) throw new RangeError('bucketMs must be at least 1');
      const now = clock.now();
      const first = Math.floor(sinceMs / bucketMs) * bucketMs;
      const count = Math.floor((now - first) / bucketMs) + 1;
      if (count > MAX_STATS_BUCKETS)
        throw new RangeError(
          `stats would return ${count} buckets; at most ${MAX_STATS_BUCKETS} are allowed (use a larger bucketMs)`,
        );
      const rows = await client.$queryRaw<StatsRow[]>`
        SELECT
          (floor((extract(epoch FROM "createdAt") * 1000 - ${first}::float8) / ${bucketMs}::float8) * ${bucketMs}::float8 + ${first}::float8)::float8 AS "bucket",
          count(*)::int AS "requests",
          (count(*) FILTER (WHERE "status" >= 400 OR "errorKind" IS NOT NULL))::int AS "errors",
          (percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs"))::float8 AS "p50",
          (percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs"))::float8 AS "p95",
          (percentile_cont(0.5) WITHIN GROUP (ORDER BY "firstTokenMs"))::float8 AS "p50_first_token",
          coalesce(sum("inputTokens"), 0)::float8 AS "input_tokens",
          coalesce(sum("outputTokens"), 0)::float8 AS "output_tokens",
          coalesce(sum("costUsd"), 0)::float8 AS "cost"
        FROM "RequestLog"
        WHERE "createdAt" >= ${new Date(first)} AND "createdAt" <= ${new Date(now)}
        GROUP BY 1
        ORDER BY 1`;
      const byStart = new Map(rows.map((row) => [Number(row.bucket), row]));
      const buckets: StatsBucket[] = [];
      for (let index = 0; index < count; index += 1) {
        const start = first + index * bucketMs;
        const row = byStart.get(start);
        buckets.push({
          start: new Date(start),
          requests: row?.requests ?? 0,
          errors: row?.errors ?? 0,
          p50LatencyMs: row?.p50 ?? null,
          p95LatencyMs: row?.p95 ?? null,
          p50FirstTokenMs: row?.p50_first_token ?? null,
          inputTokens: row?.input_tokens ?? 0,
          outputTokens: row?.output_tokens ?? 0,
          costUsd: row?.cost ?? 0,
        });
      }
      return buckets;
    },

    async prune(olderThan) {
      const { count } = await client.requestLog.deleteMany({
        where: { createdAt: { lt: olderThan } },
      });
      return count;
    },
  };
}
