// Cost out of the box: a provider's model with no price of its own is priced from the built-in
// catalogue, and a request to it turns into that cost on the Spend page, at 1440 and 390 px.
import { expect, test, type Page } from '@playwright/test';
import { builtInPriceCatalogue } from '@switchyard/adapters';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import { ADMIN, nav, signIn, snap } from './support.ts';

const UPSTREAM_KEY = 'sk-e2e-catalogue-5c1d8e2a';
const MODEL = 'gpt-4o-mini';
const PROVIDER = 'Catalogue priced';

let upstream: OpenAIMock;
test.beforeAll(async () => {
  upstream = await startOpenAIMock({ apiKey: UPSTREAM_KEY, models: [MODEL] });
});
test.afterAll(async () => {
  await upstream.close();
});

/** The catalogue's list price of the model, USD per million tokens. */
function listPrice(): { input: number; output: number } {
  const price = builtInPriceCatalogue().vendors.openai?.models[MODEL];
  if (!price) throw new Error(`${MODEL} is not in the built-in catalogue`);
  return { input: price.input, output: price.output };
}

/** The dollar figure in a cell of the row ("$0.00150"). */
async function costIn(row: ReturnType<Page['getByRole']>): Promise<number> {
  const text = (await row.getByRole('cell').nth(1).textContent()) ?? '';
  const figure = /\$(\d+(?:\.\d+)?)/.exec(text)?.[1];
  if (figure === undefined) throw new Error(`no cost in "${text}"`);
  return Number(figure);
}

/** Equal to the page's five decimals (it shows costs under a cent as $0.00123). */
function expectCost(shown: number, expected: number) {
  expect(Math.abs(shown - expected), `shown $${shown}, expected $${expected}`).toBeLessThan(
    0.000006,
  );
}

async function expectFits(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `the page is ${scrollWidth} px wide`).toBeLessThanOrEqual(width);
}

test('a model without a price of its own is billed at the catalogue price', async ({
  page,
  baseURL,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN);

  await test.step('a provider whose model has no prices', async () => {
    await nav(page, 'Providers').click();
    await page.getByLabel('Add a provider').selectOption('openai');
    await page.getByRole('button', { name: 'New provider' }).click();
    const form = page.getByRole('form', { name: /provider$/ });
    await form.locator('input[name="name"]').fill(PROVIDER);
    await form.locator('input[name="endpoint"]').fill(upstream.url);
    await form.locator('input[name="apiKey"]').fill(UPSTREAM_KEY);
    await form.getByRole('button', { name: 'Add model' }).click();
    await form.getByLabel('Model 1 public name').fill(MODEL);
    await expect(form.getByLabel('Model 1 input price per million tokens')).toHaveValue('');
    await form.getByRole('button', { name: 'Add provider' }).click();
    await expect(page.locator('[data-provider="catalogue-priced"]')).toBeVisible();
  });

  const created = await page.request.post(`${baseURL}/api/trpc/keys.create?batch=1`, {
    data: { 0: { json: { name: 'e2e-spend', allowedRoutes: [] } } },
  });
  expect(created.status()).toBe(200);
  const [createdKey] = (await created.json()) as [{ result: { data: { json: { key: string } } } }];
  const key = createdKey.result.data.json.key;

  // A long prompt, so the cost is well above the page's rounding.
  const prompt = Array.from({ length: 1500 }, (_, index) => `word${index}`).join(' ');
  const answer = await page.request.post(`${baseURL}/v1/chat/completions`, {
    headers: { authorization: `Bearer ${key}` },
    data: { model: MODEL, messages: [{ role: 'user', content: prompt }] },
  });
  expect(answer.status()).toBe(200);
  const { usage } = (await answer.json()) as {
    usage: { prompt_tokens: number; completion_tokens: number };
  };
  expect(usage.prompt_tokens).toBeGreaterThan(1000);
  const price = listPrice();
  const expected =
    (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;

  await test.step('the Spend page shows the cost, by model and by key', async () => {
    await nav(page, 'Spend').click();
    await page.getByLabel('Group by').selectOption('model');
    const row = page.getByRole('row').filter({ hasText: MODEL });
    // The request log is written in batches: the row appears within a few seconds.
    await expect(async () => {
      await page.reload();
      await page.getByLabel('Group by').selectOption('model');
      await expect(row).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    expect(expected).toBeGreaterThan(0.0001);
    expectCost(await costIn(row), expected);
    await expect(row).not.toContainText('without a price');
    await snap(page, 'spend-1440');
    await page.getByLabel('Group by').selectOption('key');
    const keyRow = page.getByRole('row').filter({ hasText: 'e2e-spend' });
    await expect(keyRow).toBeVisible();
    expectCost(await costIn(keyRow), expected);
    await expectFits(page, 1440);
  });

  await test.step('at 390 px the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Spend' })).toBeVisible();
    await expectFits(page, 390);
    await snap(page, 'spend-390');
  });
});
