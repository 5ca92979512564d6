// The request-log export against a real database: who may download, the page's filters and
// permission on body search, CSV cells a spreadsheet would run as formulas, and paging past one
// database page.
import * as dbModule from '@switchyard/db';
import type { RequestLogInput } from '@switchyard/db';
import { openTestDatabase, testBackends, type TestDatabase } from '@switchyard/db/testkit';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices, type Services } from '../services.ts';
import { csvCell, handleLogsExport } from './logs-export.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';

const T0 = Date.now() - 10 * 60_000;
const SYSTEM = { via: 'system' } as const;

function log(overrides: Partial<RequestLogInput> & { id: string }): RequestLogInput {
  return {
    createdAt: T0,
    requestId: `req-${overrides.id}`,
    status: 200,
    stream: false,
    attempts: 1,
    attemptTrail: [],
    latencyMs: 100,
    ...overrides,
  };
}

/** Minimal CSV reader for the test: quoted cells with doubled quotes and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(cell);
      cell = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else cell += character;
  }
  return rows;
}

describe('CSV cells', () => {
  it('defuses formulas, quotes separators, and leaves numbers alone', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+44 20')).toBe("'+44 20");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(false)).toBe('false');
  });
});

describe.each(testBackends())('request log export on %s', (backend) => {
  let database: TestDatabase;
  let runtime: GatewayRuntime;
  let services: Services;
  let adminCookie: string;
  let viewerCookie: string;
  let keyId: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const repositories = dbModule.createRepositories(database.db, {
      definitions: defaultDefinitions,
    });
    runtime = await createGatewayRuntime({ db: database.db, monitorHealth: false });
    services = assembleServices(dbModule, database.db, repositories, runtime);
    const admin = await repositories.users.create({
      email: 'admin@example.com',
      password: 'correct horse battery',
      role: 'admin',
    });
    const viewer = await repositories.users.create({
      email: 'viewer@example.com',
      password: 'correct horse battery',
      role: 'viewer',
    });
    adminCookie = `${SESSION_COOKIE}=${(await repositories.sessions.create(admin.id, 3_600_000)).token}`;
    viewerCookie = `${SESSION_COOKIE}=${(await repositories.sessions.create(viewer.id, 3_600_000)).token}`;
    keyId = (await repositories.keys.create({ name: 'billing, "team"', allowedRoutes: [] }, SYSTEM))
      .record.id;
    await repositories.requestLogs.insertMany([
      log({
        id: 'ok-1',
        createdAt: T0,
        provider: 'openai',
        model: 'gpt-4o-mini',
        route: 'chat',
        keyId,
        costUsd: 0.0012,
        inputTokens: 12,
        outputTokens: 30,
        requestBody: { messages: [{ role: 'user', content: 'invoice number 4471' }] },
      }),
      log({
        id: 'failover-1',
        createdAt: T0 + 1000,
        provider: 'anthropic',
        model: 'claude-haiku',
        route: 'chat',
        attempts: 2,
        requestBody: { messages: [{ role: 'user', content: 'weather in Oslo' }] },
      }),
      log({
        id: 'error-1',
        createdAt: T0 + 2000,
        provider: 'openai',
        model: 'gpt-4o-mini',
        route: '@route',
        status: 502,
        errorKind: 'server',
        errorMessage: '=HYPERLINK("http://evil.example","click"), then\nretry',
      }),
      // Outside "the last 15 minutes".
      log({ id: 'old-1', createdAt: T0 - 3_600_000, provider: 'openai' }),
    ]);
  });

  afterAll(async () => {
    await runtime?.close();
    await database?.close();
  });

  const exportAs = (query: string, cookie?: string, origin = 'http://localhost:3000') =>
    handleLogsExport(
      new Request(`${origin}/api/logs/export?${query}`, {
        headers: cookie ? { cookie } : {},
      }),
      { services: () => Promise.resolve(services) },
    );

  it('refuses callers without a session, unknown hosts, and bad parameters, naming the problem', async () => {
    expect((await exportAs('format=csv')).status).toBe(401);
    expect((await exportAs('format=csv', `${SESSION_COOKIE}=forged`)).status).toBe(401);
    const host = await exportAs('format=csv', adminCookie, 'http://evil.example');
    expect(host.status).toBe(403);
    const format = await exportAs('format=xlsx', adminCookie);
    expect(format.status).toBe(400);
    expect(await format.json()).toEqual({ error: 'format must be csv or jsonl.' });
    const status = await exportAs('format=csv&status=broken&range=1y', adminCookie);
    expect(status.status).toBe(400);
    expect(((await status.json()) as { error: string }).error).toBe(
      'Unknown value for range, status.',
    );
  });

  it('writes the filtered rows as CSV with formulas defused and cells quoted', async () => {
    const response = await exportAs('format=csv&range=15m', viewerCookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="switchyard-requests-.+\.csv"$/,
    );
    const [header, ...rows] = parseCsv(await response.text());
    expect(header?.slice(0, 4)).toEqual(['time', 'request_id', 'status', 'error_kind']);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((row) => row[column('request_id')])).toEqual([
      'req-error-1',
      'req-failover-1',
      'req-ok-1',
    ]);
    const [error, , ok] = rows;
    expect(error?.[column('route')]).toBe("'@route");
    expect(error?.[column('error_message')]).toBe(
      `'=HYPERLINK("http://evil.example","click"), then\nretry`,
    );
    expect(ok?.[column('key_name')]).toBe('billing, "team"');
    expect(ok?.[column('cost_usd')]).toBe('0.0012');
    expect(ok?.[column('time')]).toBe(new Date(T0).toISOString());
  });

  it('applies the page’s filters to JSON lines, without bodies', async () => {
    const response = await exportAs('format=jsonl&provider=openai&status=error', adminCookie);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['error-1']);
    const failovers = await exportAs('format=jsonl&failover=1', adminCookie);
    const rows = (await failovers.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => row.id)).toEqual(['failover-1']);
    expect(rows[0]).not.toHaveProperty('requestBody');
  });

  it('searches bodies for admins, and for viewers only when Settings allows it', async () => {
    const admin = await exportAs('format=jsonl&q=INVOICE%20number', adminCookie);
    const found = (await admin.text()).trimEnd().split('\n');
    expect(
      found.map((line) => (JSON.parse(line) as { id: string; keyName: string }).keyName),
    ).toEqual(['billing, "team"']);
    const viewer = await exportAs('format=jsonl&q=invoice', viewerCookie);
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { error: string }).error).toMatch(/Searching request bodies/);
    await services.repositories.settings.update({ viewersReadBodies: true }, SYSTEM);
    const allowed = await exportAs('format=jsonl&q=invoice', viewerCookie);
    expect(allowed.status).toBe(200);
    expect((await allowed.text()).trimEnd().split('\n')).toHaveLength(1);
    await services.repositories.settings.update({ viewersReadBodies: false }, SYSTEM);
  });

  it('streams every row past one database page', async () => {
    await services.repositories.requestLogs.insertMany(
      Array.from({ length: 450 }, (_, index) =>
        log({ id: `bulk-${index}`, createdAt: T0 - 7_200_000 + index, route: 'bulk' }),
      ),
    );
    const response = await exportAs('format=csv&route=bulk', adminCookie);
    const rows = parseCsv(await response.text());
    expect(rows).toHaveLength(451);
    expect(new Set(rows.slice(1).map((row) => row[1])).size).toBe(450);
  });
});
