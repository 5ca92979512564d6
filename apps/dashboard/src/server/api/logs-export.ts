// GET /api/logs/export?format=csv|jsonl plus the logs page's filters: the filtered rows (never
// bodies) as a download. It goes through the same tRPC procedure as the page, so the session,
// the body-search permission and the input checks are the page's own. Streamed page by page,
// and bounded.
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Services } from '../services.ts';
import { allowedHostnames } from '../auth/allowed-hosts.ts';
import { checkHost } from './request-guards.ts';
import { TrpcRefusal } from './http-refusal.ts';
import { appRouter } from './root.ts';
import { createCallerFactory, createTrpcContext } from './trpc.ts';
import type { RouterOutputs } from './index.ts';
import {
  invalidLogQueryParams,
  logListFilter,
  parseLogQuery,
  TIME_RANGES,
} from '../../app/(dashboard)/logs/log-query.ts';

/** Most rows one export writes; narrow the filters for more. */
export const MAX_EXPORT_ROWS = 50_000;
const PAGE_ROWS = 200;

export type ExportFormat = 'csv' | 'jsonl';
type LogRow = RouterOutputs['logs']['list']['items'][number];

export interface LogsExportOptions {
  services: () => Promise<Services>;
  /** Host names accepted in the Host header; the localhost names when absent. */
  allowedHosts?: () => ReadonlyArray<string>;
}

const createCaller = createCallerFactory(appRouter);

const CSV_COLUMNS: ReadonlyArray<[string, (row: LogRow, keyName: string) => unknown]> = [
  ['time', (row) => row.createdAt.toISOString()],
  ['request_id', (row) => row.requestId],
  ['status', (row) => row.status],
  ['error_kind', (row) => row.errorKind],
  ['api', (row) => row.dialect ?? 'chat'],
  ['route', (row) => row.route],
  ['model', (row) => row.model],
  ['provider', (row) => row.provider],
  ['key_id', (row) => row.keyId],
  ['key_name', (_row, keyName) => keyName],
  ['attempts', (row) => row.attempts],
  ['stream', (row) => row.stream],
  ['cache', (row) => row.cache],
  ['latency_ms', (row) => row.latencyMs],
  ['first_token_ms', (row) => row.firstTokenMs],
  ['input_tokens', (row) => row.inputTokens],
  ['output_tokens', (row) => row.outputTokens],
  ['usage_estimated', (row) => row.usageEstimated === true],
  ['cost_usd', (row) => row.costUsd],
  ['error_message', (row) => row.errorMessage],
];

/**
 * One CSV cell. Text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return
 * first) gets a leading apostrophe; numbers and booleans are written as they are.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(row: LogRow, keyName: string): string {
  return CSV_COLUMNS.map(([, pick]) => csvCell(pick(row, keyName))).join(',') + '\r\n';
}

function jsonLine(row: LogRow, keyName: string): string {
  return JSON.stringify({ ...row, keyName: keyName || undefined }) + '\n';
}

function problem(status: number, message: string): Response {
  return Response.json({ error: message }, { status, headers: { 'cache-control': 'no-store' } });
}

export async function handleLogsExport(
  request: Request,
  options: LogsExportOptions,
): Promise<Response> {
  try {
    checkHost(request, options.allowedHosts?.() ?? allowedHostnames({}));
  } catch (error) {
    if (error instanceof TrpcRefusal) return problem(403, error.message);
    throw error;
  }
  const params = new URL(request.url).searchParams;
  const format = params.get('format');
  if (format !== 'csv' && format !== 'jsonl') return problem(400, 'format must be csv or jsonl.');
  const invalid = invalidLogQueryParams(params);
  if (invalid.length > 0) return problem(400, `Unknown value for ${invalid.join(', ')}.`);

  const context = await createTrpcContext({
    headers: request.headers,
    resHeaders: new Headers(),
    services: options.services,
    secureCookies: false,
  });
  const caller = createCaller(context);
  const { range, ...filter } = logListFilter(parseLogQuery(params));
  // The range is fixed once, so every page reads the same window.
  const since = range ? { since: new Date(Date.now() - TIME_RANGES[range].ms) } : {};
  const pageOf = (cursor?: string) =>
    caller.logs.list({ ...filter, ...since, limit: PAGE_ROWS, ...(cursor ? { cursor } : {}) });

  let first: Awaited<ReturnType<typeof pageOf>>;
  let keyNames: Map<string, string>;
  try {
    first = await pageOf();
    keyNames = new Map((await caller.keys.list()).map((key) => [key.id, key.name]));
  } catch (error) {
    if (error instanceof TRPCError)
      return problem(getHTTPStatusCodeFromError(error), error.message);
    throw error;
  }

  const line = format === 'csv' ? csvLine : jsonLine;
  const encoder = new TextEncoder();
  let page: typeof first | undefined = first;
  let written = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === 'csv')
        controller.enqueue(encoder.encode(CSV_COLUMNS.map(([name]) => name).join(',') + '\r\n'));
    },
    // One page per pull, so a slow client holds back the database reads.
    async pull(controller) {
      if (!page) {
        controller.close();
        return;
      }
      const rows = page.items.slice(0, MAX_EXPORT_ROWS - written);
      written += rows.length;
      controller.enqueue(
        encoder.encode(rows.map((row) => line(row, keyNames.get(row.keyId ?? '') ?? '')).join('')),
      );
      const next = page.nextCursor;
      page = next && written < MAX_EXPORT_ROWS ? await pageOf(next) : undefined;
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(body, {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      'content-disposition': `attachment; filename="switchyard-requests-${stamp}.${format}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-export-row-limit': String(MAX_EXPORT_ROWS),
    },
  });
}
