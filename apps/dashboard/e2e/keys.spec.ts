// API keys after creation: an edited limit is enforced by the running gateway, a rotated key's old
// secret is refused and the new one works, client snippets come with a new secret, and one key's
// usage is shown; at 1440 and 390 px.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, nav, signIn, snap } from './support.ts';

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

async function expectFits(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `the keys page is ${scrollWidth} px wide`).toBeLessThanOrEqual(width);
}

test('an operator edits a key, sees its limit enforced, rotates it and copies a snippet', async ({
  page,
  baseURL,
}) => {
  const chat = (key: string) =>
    page.request.post(`${baseURL}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${key}` },
      data: { model: 'chat', messages: [{ role: 'user', content: 'ping' }] },
    });

  await page.setViewportSize(WIDTHS[0]);
  await signIn(page, ADMIN);
  await nav(page, 'API keys').click();

  let firstKey = '';
  await test.step('a new key comes with snippets for curl and the SDKs', async () => {
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByLabel('Name').fill('e2e-keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    firstKey = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(firstKey).toMatch(/^sk-sy-/);
    const snippet = page.getByTestId('key-snippet');
    await expect(snippet).toContainText(`curl ${baseURL}/v1/chat/completions`);
    await expect(snippet).toContainText(`Bearer ${firstKey}`);
    for (const [tab, expected] of [
      ['OpenAI SDK (JavaScript)', `baseURL: "${baseURL}/v1"`],
      ['OpenAI SDK (Python)', `base_url="${baseURL}/v1"`],
      ['Vercel AI SDK', "from '@ai-sdk/openai'"],
      ['Anthropic SDK', `baseURL: "${baseURL}"`],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
      await expect(snippet).toContainText(expected);
      await expect(snippet).toContainText(firstKey);
    }
    await expect(page.getByRole('button', { name: 'Copy code: Anthropic SDK' })).toBeVisible();
    await snap(page, 'keys-01-created-snippets-1440');
    await page.getByRole('button', { name: 'Done' }).click();
    expect((await chat(firstKey)).status()).toBe(200);
    expect((await chat(firstKey)).status()).toBe(200);
  });

  const row = page.locator('[data-key="e2e-keys"]');
  await test.step('an edited limit of 1 request a minute gives 429 on the second request', async () => {
    await row.getByRole('button', { name: 'Edit e2e-keys' }).click();
    const form = page.getByRole('form', { name: 'Edit key “e2e-keys”' });
    await form.getByLabel('Requests per minute').fill('0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(form.getByRole('alert').first()).toBeVisible();
    await form.getByLabel('Requests per minute').fill('1');
    await snap(page, 'keys-02-edit-1440');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved “e2e-keys”' })).toBeVisible();
    await expect(row).toContainText('1 req/min');
    expect((await chat(firstKey)).status()).toBe(200);
    const refused = await chat(firstKey);
    expect(refused.status()).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });

    // Lifted again, so the rotated key below may be used at once.
    await row.getByRole('button', { name: 'Edit e2e-keys' }).click();
    await form.getByLabel('Requests per minute').fill('');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(row).toContainText('none');
    expect((await chat(firstKey)).status()).toBe(200);
  });

  await test.step('rotating refuses the old secret and accepts the new one', async () => {
    await row.getByRole('button', { name: 'Rotate' }).click();
    await row.getByRole('button', { name: 'Yes, rotate' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'has a new secret' });
    await expect(notice).toBeVisible();
    const secondKey = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(secondKey).toMatch(/^sk-sy-/);
    expect(secondKey).not.toBe(firstKey);
    await expect(page.getByTestId('key-snippet')).toContainText(secondKey);
    await expect(row).toContainText(secondKey.slice(0, 12));
    expect((await chat(firstKey)).status()).toBe(401);
    expect((await chat(secondKey)).status()).toBe(200);
    await snap(page, 'keys-03-rotated-1440');
    await expectFits(page, 1440);

    await page.setViewportSize(WIDTHS[1]);
    await expectFits(page, 390);
    await snap(page, 'keys-03-rotated-390');
    await page.getByRole('button', { name: 'Done' }).click();
  });

  await test.step("the key's usage counts requests from before and after the rotation", async () => {
    await row.getByRole('button', { name: 'Usage of e2e-keys' }).click();
    const panel = page.getByRole('region', { name: 'Usage of e2e-keys' });
    // Two before the limit, one under it, one after it, one after the rotation; refusals (429,
    // 401) are decided before routing and are not in the request log.
    await expect(async () => {
      await panel.getByLabel('Period').selectOption('month');
      await panel.getByLabel('Period').selectOption('day');
      await expect(panel.getByTestId('usage-requests')).toHaveText('5', { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(panel.getByRole('cell', { name: 'mock-model' })).toBeVisible();
    await expectFits(page, 390);
    await snap(page, 'keys-04-usage-390');
    await page.setViewportSize(WIDTHS[0]);
    await expectFits(page, 1440);
    await snap(page, 'keys-04-usage-1440');
  });
});
