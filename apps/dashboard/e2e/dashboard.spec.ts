import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { startOpenAIMock } from '@switchyard/testkit';
import { BACKUP_KEY, PRIMARY_KEY, SETUP_TOKEN } from './global-setup.ts';
import { ADMIN, nav, signIn, snap, VIEWER } from './support.ts';

/** The viewer's password after an admin resets it (the viewer then sets VIEWER.password again). */
const VIEWER_RESET = 'e2e viewer reset password';
const LIMITED_KEY = 'sk-e2e-limited-7d2f90b1';
const SECRETS = [PRIMARY_KEY, BACKUP_KEY, LIMITED_KEY];
/** Every page of the dashboard, for the narrow-screen walk. */
const PAGES = [
  '/',
  '/providers',
  '/routes',
  '/playground',
  '/logs',
  '/keys',
  '/settings',
  '/users',
  '/account',
];

test.describe.configure({ mode: 'serial' });

/** Every tRPC answer and every page's HTML the browser receives, checked for provider secrets. */
function watchForSecrets(context: BrowserContext): { leaks: string[]; checked: () => number } {
  const leaks: string[] = [];
  let checked = 0;
  context.on('response', (response) => {
    const url = response.url();
    const type = response.headers()['content-type'] ?? '';
    if (
      !url.includes('/api/trpc') &&
      !type.includes('text/html') &&
      !type.includes('text/x-component')
    )
      return;
    if (type.includes('text/event-stream')) return;
    void response
      .text()
      .then((body) => {
        checked += 1;
        for (const secret of SECRETS)
          if (body.includes(secret)) leaks.push(`${secret.slice(0, 10)}… in ${url}`);
      })
      .catch(() => undefined);
  });
  return { leaks, checked: () => checked };
}

/** Pages, scripts, styles and images that answered 404 (API calls may, on purpose). */
function watchForMissing(context: BrowserContext): string[] {
  const missing: string[] = [];
  context.on('response', (response) => {
    const type = response.request().resourceType();
    if (response.status() === 404 && type !== 'fetch' && type !== 'xhr')
      missing.push(response.url());
  });
  return missing;
}

async function sendInPlayground(page: Page, text: string, route: string): Promise<void> {
  await page.goto('/playground');
  await page.getByLabel('Route or model').selectOption(route);
  await page.getByLabel('Message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

async function addOpenAIProvider(
  page: Page,
  provider: { name: string; url: string; key: string; priority: string },
): Promise<void> {
  await page.getByLabel('Add a provider').selectOption('openai');
  await page.getByRole('button', { name: 'New provider' }).click();
  const form = page.getByRole('form', { name: /provider$/ });
  await form.locator('input[name="name"]').fill(provider.name);
  await form.locator('input[name="endpoint"]').fill(provider.url);
  await form.locator('input[name="apiKey"]').fill(provider.key);
  await form.locator('input[name="priority"]').fill(provider.priority);
  await form.getByRole('button', { name: 'Add model' }).click();
  await form.getByLabel('Model 1 public name').fill('mock-model');
  await form.getByLabel('Model 1 input price per million tokens').fill('1');
  await form.getByLabel('Model 1 output price per million tokens').fill('2');
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(
    page.locator(`[data-provider="${provider.name.toLowerCase().replace(/\s+/g, '-')}"]`),
  ).toBeVisible();
}

async function trpcMutation(request: APIRequestContext, path: string, input: unknown) {
  return request.post(`/api/trpc/${path}?batch=1`, { data: { 0: { json: input } } });
}

test('an operator goes from the first page to a streamed answer, and a viewer cannot edit', async ({
  browser,
  baseURL,
}) => {
  const primaryUrl = process.env.E2E_PRIMARY_URL!;
  const backupUrl = process.env.E2E_BACKUP_URL!;
  const context = await browser.newContext();
  const secrets = watchForSecrets(context);
  const missing = watchForMissing(context);
  const page = await context.newPage();

  await test.step('first run: create the admin account', async () => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { name: 'Welcome to Switchyard' })).toBeVisible();
    await snap(page, '01-first-run-setup');
    await page.getByLabel('Setup token').fill(SETUP_TOKEN);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the password').fill('short');
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat the password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.locator('[data-provider="lm-studio"]')).toBeVisible();
  });

  await test.step('every page has a favicon that is served', async () => {
    const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(href).toBeTruthy();
    const icon = await page.request.get(href ?? '');
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
  });

  await test.step('add two providers and test one', async () => {
    await nav(page, 'Providers').click();
    await expect(page.getByRole('heading', { name: 'Providers', exact: true })).toBeVisible();
    await addOpenAIProvider(page, {
      name: 'Primary mock',
      url: primaryUrl,
      key: PRIMARY_KEY,
      priority: '1',
    });
    await addOpenAIProvider(page, {
      name: 'Backup mock',
      url: backupUrl,
      key: BACKUP_KEY,
      priority: '2',
    });
    const primary = page.locator('[data-provider="primary-mock"]');
    await expect(primary).toContainText('API key •••• set');
    await primary.getByRole('button', { name: 'Test' }).click();
    await expect(primary.getByRole('status')).toContainText(/Test passed in \d/);
    await page.locator('[data-provider="lm-studio"]').getByRole('button', { name: 'Test' }).click();
    await expect(page.locator('[data-provider="lm-studio"]').getByRole('status')).toContainText(
      'Test failed',
    );
    await snap(page, '02-providers');
  });

  await test.step('a bad provider keeps the form input and shows the schema’s message', async () => {
    await page.getByLabel('Add a provider').selectOption('openai');
    await page.getByRole('button', { name: 'New provider' }).click();
    const form = page.getByRole('form', { name: /provider$/ });
    await form.locator('input[name="name"]').fill('Broken');
    await form.locator('input[name="endpoint"]').fill('not a url');
    await form.getByRole('button', { name: 'Add provider' }).click();
    await expect(form.getByText('must be an http(s) URL', { exact: true })).toBeVisible();
    await expect(form.locator('input[name="name"]')).toHaveValue('Broken');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('create a route over the two providers', async () => {
    await nav(page, 'Routes').click();
    await page.getByRole('button', { name: 'New route' }).click();
    const form = page.getByRole('form', { name: 'New route' });
    await form.getByLabel(/^Name/).fill('chat');
    await form.getByRole('button', { name: 'Add target' }).click();
    await form.getByLabel('Target 1 provider').selectOption('primary-mock');
    await form.getByRole('button', { name: 'Add target' }).click();
    await form.getByLabel('Target 2 provider').selectOption('backup-mock');
    await form.getByRole('button', { name: 'Create route' }).click();
    await expect(page.locator('[data-route="chat"]')).toContainText('Primary mock → Backup mock');
    await snap(page, '03-routes');
  });

  let apiKey = '';
  await test.step('create an API key, shown once', async () => {
    await nav(page, 'API keys').click();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByLabel('Name').fill('e2e-app');
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(apiKey).toMatch(/^sk-sy-/);
    await expect(page.getByRole('button', { name: 'Copy', exact: true })).toBeVisible();
    await snap(page, '04-keys-created');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(apiKey)).toHaveCount(0);
    await expect(page.locator('[data-key="e2e-app"]')).toContainText(apiKey.slice(0, 12));
  });

  await test.step('the key works on the REST proxy', async () => {
    const response = await page.request.post(`${baseURL}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${apiKey}` },
      data: { model: 'chat', messages: [{ role: 'user', content: 'ping' }] },
    });
    expect(response.status()).toBe(200);
    expect(response.headers()['x-switchyard-provider']).toBe('primary-mock');
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe('Hello from the primary mock.');
  });

  await test.step('a failed attempt is retried elsewhere and shows in the trail', async () => {
    const created = await trpcMutation(page.request, 'providers.create', {
      id: 'dead-end',
      name: 'Dead end',
      type: 'openai-compatible',
      endpoint: 'http://127.0.0.1:9',
      priority: 5,
    });
    expect(created.status()).toBe(200);
    const route = await trpcMutation(page.request, 'routes.upsert', {
      name: 'flaky',
      targets: [{ provider: 'dead-end' }, { provider: 'primary-mock' }],
      fallbacks: [],
      retryAttempts: 0,
    });
    expect(route.status()).toBe(200);
    const response = await page.request.post(`${baseURL}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${apiKey}` },
      data: { model: 'flaky', messages: [{ role: 'user', content: 'anyone there?' }] },
    });
    expect(response.status()).toBe(200);
    expect(response.headers()['x-switchyard-provider']).toBe('primary-mock');
  });

  await test.step('stream an answer in the playground', async () => {
    await sendInPlayground(page, 'Say hello', 'chat');
    await expect(page.locator('[data-role="assistant"]').last()).toHaveText(
      'Hello from the primary mock.',
    );
    await expect(page.getByTestId('served-by')).toContainText('primary-mock');
    await expect(page.getByTestId('run-info')).toContainText('First token');
    await expect(page.getByTestId('run-info')).toContainText(/\d+ in, \d+ out/);
    await snap(page, '05-playground');
  });

  await test.step('see the requests in the logs, with the attempt trail', async () => {
    await nav(page, 'Request logs').click();
    const rows = page.locator('tbody tr');
    await expect(rows.first()).toContainText('primary-mock', { timeout: 20_000 });
    await expect(rows).toHaveCount(3, { timeout: 20_000 });
    await snap(page, '06-logs');
    await rows.first().getByRole('link').click();
    await expect(page.getByRole('heading', { name: /Attempts/ })).toBeVisible();
    await expect(page.locator('table')).toContainText('primary-mock');
    await nav(page, 'Request logs').click();
    await page.getByLabel('Route').selectOption('flaky');
    await expect(rows).toHaveCount(1);
    await rows.first().getByRole('link').click();
    const trail = page.locator('table tbody tr');
    await expect(trail).toHaveCount(2);
    await expect(trail.nth(0)).toContainText('dead-end');
    // Skipped when the health monitor already found it down, failed when the request found out first.
    await expect(trail.nth(0)).toContainText(/skipped|error/);
    await expect(trail.nth(0)).toContainText(/ECONNREFUSED|connection/);
    await expect(trail.nth(1)).toContainText('success');
    await snap(page, '07-log-detail');
    await page.goto('/logs/no-such-request');
    await expect(page.getByTestId('not-found')).toContainText('not in the log');
    await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Back to all requests' })).toBeVisible();
  });

  await test.step('see the traffic and health on the overview', async () => {
    await nav(page, 'Overview').click();
    await expect(page.locator('.stat').first()).toContainText('3', { timeout: 20_000 });
    await expect(page.locator('[data-provider="primary-mock"]')).toBeVisible();
    const requestsChart = page.getByRole('figure', { name: /^Requests per / });
    await expect(requestsChart.locator('path.sy-chart__line')).toHaveAttribute('d', /^M/);
    await snap(page, '08-overview');
  });

  await test.step('repeated 429s open a model circuit and cool the provider down, on Providers', async () => {
    const limited = await startOpenAIMock({ apiKey: LIMITED_KEY, models: ['mock-model'] });
    try {
      const created = await trpcMutation(page.request, 'providers.create', {
        id: 'limited-mock',
        name: 'Limited mock',
        type: 'openai',
        endpoint: limited.url,
        apiKey: LIMITED_KEY,
        priority: 4,
        models: [{ name: 'mock-model' }],
      });
      expect(created.status()).toBe(200);
      const route = await trpcMutation(page.request, 'routes.upsert', {
        name: 'fragile',
        targets: [{ provider: 'limited-mock' }, { provider: 'backup-mock' }],
        fallbacks: [],
        retryAttempts: 0,
      });
      expect(route.status()).toBe(200);
      // A 429 counts against the model's circuit (five in a row open it); the last one asks for
      // a two-minute wait, which cools the whole provider down.
      limited.failNext({ kind: 'rate-limited', retryAfterMs: 0 }, 4);
      limited.failNext({ kind: 'rate-limited', retryAfterMs: 120_000 });
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await page.request.post(`${baseURL}/v1/chat/completions`, {
          headers: { authorization: `Bearer ${apiKey}` },
          data: { model: 'fragile', messages: [{ role: 'user', content: 'busy?' }] },
        });
        expect(response.status()).toBe(200);
        expect(response.headers()['x-switchyard-provider']).toBe('backup-mock');
      }
      await nav(page, 'Providers').click();
      const model = page.locator('[data-status-model="limited-mock/mock-model"]');
      // Open for the cooldown, then half-open until a request probes it: never closed.
      await expect(model.locator('[data-circuit]')).toHaveAttribute('data-circuit', /open/);
      await expect(model).toContainText(/Open until|Half-open/);
      await expect(model).toContainText(/429|rate/i);
      const provider = page.locator('[data-status-provider="limited-mock"]');
      await expect(provider).toContainText(/Until .+\(in \d+ (s|min)\)/);
      await expect(page.locator('[data-status-provider="primary-mock"]')).toContainText('Closed');
      await snap(page, '08b-provider-status');
    } finally {
      await trpcMutation(page.request, 'routes.remove', { name: 'fragile' });
      await trpcMutation(page.request, 'providers.remove', { id: 'limited-mock' });
      await limited.close();
    }
  });

  await test.step('disable the primary provider: traffic fails over to the backup', async () => {
    await nav(page, 'Providers').click();
    const primary = page.locator('[data-provider="primary-mock"]');
    await primary.getByRole('button', { name: 'Disable' }).click();
    await expect(primary.getByRole('button', { name: 'Enable' })).toBeVisible();
    await expect(
      page.locator('[data-status-provider="primary-mock"] [data-status]').first(),
    ).toHaveAttribute('data-status', 'disabled');
    const health = await page.request.get('/health/providers', {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const reported = (await health.json()) as Array<{ providerId: string; isHealthy: boolean }>;
    expect(reported.find((entry) => entry.providerId === 'primary-mock')?.isHealthy).toBe(false);
    await sendInPlayground(page, 'Who answers now?', 'chat');
    await expect(page.locator('[data-role="assistant"]').last()).toHaveText(
      'Hello from the backup mock.',
    );
    await expect(page.getByTestId('served-by')).toContainText('backup-mock');
  });

  await test.step('the playground speaks the Responses and Messages APIs too', async () => {
    for (const api of ['Responses (/v1/responses)', 'Messages (/v1/messages)']) {
      await page.goto('/playground');
      await page.getByLabel('API', { exact: true }).selectOption({ label: api });
      await page.getByLabel('Route or model').selectOption('chat');
      await page.getByLabel('Message').fill('Who answers in this API?');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect(page.locator('[data-role="assistant"]').last()).toHaveText(
        'Hello from the backup mock.',
      );
      await expect(page.getByTestId('served-by')).toContainText('backup-mock');
      await expect(page.getByTestId('run-info')).toContainText(/\d+ in, \d+ out/);
    }
    await nav(page, 'Request logs').click();
    // The filter is a controlled select: change it once the list is on screen (hydrated).
    await expect(page.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('API', { exact: true }).selectOption('responses');
    await expect(page.locator('tbody tr')).toHaveCount(1, { timeout: 20_000 });
  });

  await test.step('settings, audit log and users', async () => {
    await nav(page, 'Settings').click();
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.locator('table')).toContainText('primary-mock');
    // Keys are named in the audit log, not shown by their UUIDs.
    await expect(page.locator('table')).toContainText('key e2e-app');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('settings-saved')).toHaveText(/^Saved/);
    await snap(page, '09-settings');
    await nav(page, 'Users').click();
    await page.getByLabel('Email').fill(VIEWER.email);
    await page.getByLabel('Initial password').fill(VIEWER.password);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.locator('tbody')).toContainText(VIEWER.email);
    const viewerRow = page.locator('tbody tr', { hasText: VIEWER.email });
    await viewerRow.getByRole('button', { name: 'Reset password' }).click();
    await viewerRow.getByLabel(`New password for ${VIEWER.email}`).fill(VIEWER_RESET);
    await viewerRow.getByRole('button', { name: 'Set password' }).click();
    await expect(viewerRow.getByRole('status')).toContainText('signed out everywhere');
    await snap(page, '10-users');
  });

  await test.step('every page fits a 390 px screen; the playground is one column', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of PAGES) {
      await page.goto(path);
      await expect(page.locator('main h1')).toBeVisible();
      await expect(page.locator('.loading')).toHaveCount(0);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
      await snap(page, `11-narrow${path === '/' ? '-overview' : path.replace(/\//g, '-')}`);
    }
    await page.goto('/logs');
    await page.locator('tbody tr').first().getByRole('link').click();
    await expect(page.getByRole('heading', { name: /Attempts/ })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await snap(page, '11-narrow-log-detail');
    await page.goto('/playground');
    const message = await page.getByLabel('Message').boundingBox();
    expect(message?.width ?? 0).toBeGreaterThan(300);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  await test.step('a viewer sees everything and can change nothing', async () => {
    await signIn(page, { email: VIEWER.email, password: VIEWER_RESET });
    await nav(page, 'Providers').click();
    await expect(page.locator('[data-provider="primary-mock"]')).toBeVisible();
    await expect(page.getByRole('button', { name: 'New provider' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
    await snap(page, '13-providers-viewer');
    await nav(page, 'API keys').click();
    await expect(page.getByRole('button', { name: 'New key' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
    const refused = await trpcMutation(page.request, 'providers.setEnabled', {
      id: 'backup-mock',
      enabled: false,
    });
    expect(refused.status()).toBe(403);
    const stillEnabled = await page.request.get('/api/trpc/providers.list');
    expect(await stillEnabled.text()).toContain('backup-mock');
    await nav(page, 'Settings').click();
    const retries = page.getByLabel('Retry attempts');
    await expect(retries).toHaveAttribute('readonly', '');
    await expect(retries).toHaveCSS('border-top-style', 'dashed');
    await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
    await snap(page, '14-settings-viewer');
  });

  await test.step('a viewer changes their own password and signs in with it', async () => {
    await page.getByRole('link', { name: VIEWER.email }).click();
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
    await page.getByLabel('Current password').fill(VIEWER_RESET);
    await page.getByLabel('New password', { exact: true }).fill(VIEWER.password);
    await page.getByLabel('Repeat the new password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await signIn(page, VIEWER);
  });

  await test.step('a signed-out caller gets nothing', async () => {
    const anonymous = await browser.newContext({ baseURL });
    const refused = await trpcMutation(anonymous.request, 'keys.create', { name: 'sneaky' });
    expect(refused.status()).toBe(401);
    const list = await anonymous.request.get('/api/trpc/providers.list');
    expect(list.status()).toBe(401);
    await anonymous.close();
  });

  await test.step('no provider secret reached the browser, and nothing it loaded was missing', () => {
    expect(secrets.checked()).toBeGreaterThan(20);
    expect(secrets.leaks).toEqual([]);
    expect(missing).toEqual([]);
  });

  await context.close();
});
