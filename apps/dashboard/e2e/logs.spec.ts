// The request log as an operator watches it: rows arriving without a reload (and not while
// paused), failovers marked and filterable, filters in the URL (shareable, back button), body
// search, export of the filtered rows, and a table that fits at 1440 and 390 px.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { readFile } from 'node:fs/promises';
import { ADMIN, nav, signIn, snap, VIEWER } from './support.ts';

test.describe.configure({ mode: 'serial' });

const FAILING_KEY = 'sk-e2e-logs-failing-3b9d71c0';
/** A provider of this spec's own that fails when told to, in front of the walk's backup mock. */
let failing: OpenAIMock;
test.beforeAll(async () => {
  failing = await startOpenAIMock({ apiKey: FAILING_KEY, models: ['mock-model'] });
});
test.afterAll(async () => {
  await failing.close();
});

async function trpcMutation(request: APIRequestContext, path: string, input: unknown) {
  const response = await request.post(`/api/trpc/${path}?batch=1`, {
    data: { 0: { json: input } },
  });
  expect(response.status(), `${path} answered ${response.status()}`).toBe(200);
  const [answer] = (await response.json()) as Array<{ result: { data: { json: unknown } } }>;
  return answer?.result.data.json;
}

async function ask(page: Page, apiKey: string, model: string, content: string): Promise<string> {
  const response = await page.request.post('/v1/chat/completions', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { model, messages: [{ role: 'user', content }] },
  });
  expect(response.status(), await response.text()).toBe(200);
  const requestId = response.headers()['x-request-id'];
  expect(requestId).toBeTruthy();
  return requestId ?? '';
}

async function expectNoSidewaysScroll(page: Page, width: number) {
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth, `the page is ${pageWidth} px wide`).toBeLessThanOrEqual(width);
}

test('request logs: live rows, failovers, filters in the URL, body search and export', async ({
  page,
  browser,
  request,
}) => {
  const marker = `zebra-${Date.now().toString(36)}`;
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN);
  const created = (await trpcMutation(page.request, 'keys.create', {
    name: 'logs-e2e',
    allowedRoutes: [],
  })) as { key: string };
  const apiKey = created.key;
  await trpcMutation(page.request, 'settings.update', { logBodies: true });
  // The walk leaves the primary mock disabled and its `flaky` route's first target down: this
  // spec's failover goes from a mock that fails once to the walk's backup mock.
  await trpcMutation(page.request, 'providers.create', {
    id: 'logs-failing',
    name: 'Logs failing mock',
    type: 'openai',
    endpoint: failing.url,
    apiKey: FAILING_KEY,
    priority: 6,
    models: [{ name: 'mock-model' }],
  });
  await trpcMutation(page.request, 'routes.upsert', {
    name: 'logs-failover',
    targets: [{ provider: 'logs-failing' }, { provider: 'backup-mock' }],
    fallbacks: [],
    retryAttempts: 0,
  });

  await nav(page, 'Request logs').click();
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('logs-live-state')).toContainText('Live');
  // Set on this document: a reload would lose it.
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });

  await test.step('a new request appears within seconds, without a reload', async () => {
    const requestId = await ask(page, apiKey, 'chat', `Tell me about the ${marker}`);
    await expect(page.locator(`tr[data-request="${requestId}"]`)).toBeVisible({ timeout: 8_000 });
    failing.failNext({ kind: 'server-error' });
    const failover = await ask(page, apiKey, 'logs-failover', `failover check ${marker}`);
    const failoverRow = page.locator(`tr[data-request="${failover}"]`);
    await expect(failoverRow).toBeVisible({ timeout: 8_000 });
    await expect(failoverRow.getByText('failover', { exact: true })).toBeVisible();
    expect(
      await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere),
    ).toBe(true);
  });

  await test.step('at 1440 px the table fits, Cost included', async () => {
    const wrap = page.locator('.table-wrap');
    const { scrollWidth, clientWidth } = await wrap.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
    }));
    expect(scrollWidth, 'the table scrolls sideways').toBeLessThanOrEqual(clientWidth);
    const cost = await page.getByRole('columnheader', { name: 'Cost' }).boundingBox();
    expect((cost?.x ?? 9999) + (cost?.width ?? 0)).toBeLessThanOrEqual(1440);
    await expectNoSidewaysScroll(page, 1440);
    await snap(page, 'logs-1440');
  });

  await test.step('pause holds the list; resume brings the new rows', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('logs-live-state')).toContainText('Paused');
    const paused = await ask(page, apiKey, 'chat', `while paused ${marker}`);
    await page.waitForTimeout(4_500);
    await expect(page.locator(`tr[data-request="${paused}"]`)).toHaveCount(0);
    await page.getByRole('button', { name: 'Resume live updates' }).click();
    await expect(page.locator(`tr[data-request="${paused}"]`)).toBeVisible({ timeout: 8_000 });
  });

  await test.step('filters live in the URL, and the back button restores them', async () => {
    // The box follows the URL: the click changes the URL, and the URL checks the box.
    await page.getByLabel('Only failovers').click();
    await expect(page).toHaveURL(/[?&]failover=1/);
    await expect(page.getByLabel('Only failovers')).toBeChecked();
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    await expect(rows.filter({ hasText: 'failover' })).toHaveCount(count);
    await page.getByLabel('Time').selectOption('15m');
    await expect(page).toHaveURL(/range=15m/);
    await page.goBack();
    await expect(page).not.toHaveURL(/range=/);
    await expect(page.getByLabel('Time')).toHaveValue('');
    await expect(page.getByLabel('Only failovers')).toBeChecked();
    await page.goBack();
    await expect(page).not.toHaveURL(/failover=/);
    await expect(page.getByLabel('Only failovers')).not.toBeChecked();
    // A shared link opens with its filters set.
    await page.goto('/logs?route=flaky&range=1h');
    await expect(page.getByLabel('Route')).toHaveValue('flaky');
    await expect(rows.first()).toBeVisible();
    await expect(rows.filter({ hasNotText: 'flaky' })).toHaveCount(0);
  });

  await test.step('search the stored bodies', async () => {
    await page.goto('/logs');
    await page.getByLabel('Search bodies').fill(marker.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(new RegExp(`q=${marker.toUpperCase()}`));
    await expect(rows).toHaveCount(3);
    await page.getByLabel('Search bodies').fill(`about the ${marker}`);
    await page.getByLabel('Search bodies').press('Enter');
    await expect(rows).toHaveCount(1);
    await snap(page, 'logs-search');
  });

  await test.step('export the filtered rows as CSV and JSON lines', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^switchyard-requests-.+\.csv$/);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^time,request_id,status,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('logs-e2e');
    const href = await page.getByRole('link', { name: 'Export JSON lines' }).getAttribute('href');
    expect(href).toContain(`q=`);
    const jsonl = await page.request.get(href ?? '');
    expect(jsonl.status()).toBe(200);
    const exported = (await jsonl.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { keyName?: string; requestBody?: unknown });
    expect(exported).toHaveLength(1);
    expect(exported[0]?.keyName).toBe('logs-e2e');
    expect(exported[0]).not.toHaveProperty('requestBody');
    // The same session check as the page: no session cookie, no rows.
    const anonymous = await request.get(href ?? '');
    expect([401, 403]).toContain(anonymous.status());
  });

  await test.step('at 390 px the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/logs');
    await expect(rows.first()).toBeVisible();
    await expectNoSidewaysScroll(page, 390);
    await snap(page, 'logs-390');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('a viewer is not offered the body search while viewers cannot read bodies', async () => {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const viewer = await context.newPage();
    await signIn(viewer, VIEWER);
    await viewer.goto('/logs');
    await expect(viewer.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
    await expect(viewer.getByLabel('Search bodies')).toHaveCount(0);
    const refused = await viewer.request.get(`/api/logs/export?format=csv&q=${marker}`);
    expect(refused.status()).toBe(403);
    await context.close();
  });

  await trpcMutation(page.request, 'settings.update', { logBodies: false });
});
