// Settings → Alerts: an admin adds a webhook pointing at a receiver this spec runs on
// 127.0.0.1, presses "Send test", the receiver gets the signed alert, and the delivery is
// listed; a viewer sees the list without the controls. At 1440×900 and 390×844.
import { expect, test, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN, nav, signIn, snap, VIEWER } from './support.ts';

const SECRET = 'e2e-webhook-secret';
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.statusCode = 204;
    response.end();
  });
});
let receiverUrl = '';

test.beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/e2e/hook`;
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function expectNoSidewaysScroll(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    width,
  );
}

test('an admin adds a webhook, sends a test, and the delivery is received and listed', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN);
  await nav(page, 'Settings').click();
  const alerts = page.locator('section', { has: page.getByRole('heading', { name: 'Alerts' }) });
  await expect(alerts.getByRole('heading', { name: 'Alerts' })).toBeVisible();

  const form = alerts.getByRole('form', { name: 'Add a webhook' });
  await form.getByLabel('Name').fill('E2E receiver');
  await form.getByLabel(/^URL/).fill(receiverUrl);
  await form.getByLabel(/Signing secret/).fill(SECRET);
  await form.getByRole('button', { name: 'Add webhook' }).click();

  const webhooks = alerts.getByRole('table', { name: 'Webhooks' });
  const row = webhooks.getByRole('row', { name: /E2E receiver/ });
  await expect(row).toBeVisible();
  // The URL is shown masked; the secret is never shown.
  await expect(row).toContainText(/http:\/\/127\.0\.0\.1:\d+\/…/);
  await expect(page.locator('body')).not.toContainText(SECRET);

  await row.getByRole('button', { name: 'Send test to E2E receiver' }).click();
  await expect(row.getByTestId('webhook-test-result')).toHaveText('Delivered (HTTP 204).');

  expect(received).toHaveLength(1);
  const [delivery] = received;
  const payload = JSON.parse(delivery?.body ?? '{}') as { event?: string; text?: string };
  expect(payload.event).toBe('test');
  expect(payload.text).toMatch(/test alert/);
  const timestamp = String(delivery?.headers['x-switchyard-timestamp']);
  const expected = createHmac('sha256', SECRET)
    .update(`${timestamp}.${delivery?.body ?? ''}`)
    .digest('hex');
  expect(delivery?.headers['x-switchyard-signature']).toBe(`sha256=${expected}`);

  const deliveries = alerts.getByRole('table', { name: 'Recent deliveries' });
  const listed = deliveries.getByTestId('alert-delivery').first();
  await expect(listed).toContainText('E2E receiver');
  await expect(listed).toContainText('Test');
  await expect(listed).toContainText('delivered');
  await alerts.scrollIntoViewIfNeeded();
  await snap(page, 'settings-alerts-1440');

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row).toBeVisible();
  await expectNoSidewaysScroll(page, 390);
  await alerts.scrollIntoViewIfNeeded();
  await snap(page, 'settings-alerts-390');
});

test('a viewer sees webhooks and deliveries without the controls', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, VIEWER);
  await nav(page, 'Settings').click();
  const alerts = page.locator('section', { has: page.getByRole('heading', { name: 'Alerts' }) });
  await expect(alerts.getByRole('table', { name: 'Webhooks' })).toContainText('E2E receiver');
  await expect(alerts.getByRole('table', { name: 'Recent deliveries' })).toContainText('delivered');
  await expect(alerts.getByRole('button', { name: /Send test/ })).toHaveCount(0);
  await expect(alerts.getByRole('form', { name: 'Add a webhook' })).toHaveCount(0);
  await snap(page, 'settings-alerts-viewer-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page, 390);
  await snap(page, 'settings-alerts-viewer-390');
});
