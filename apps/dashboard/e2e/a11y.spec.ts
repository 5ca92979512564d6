// Accessibility and looks: axe-core on every page at a desktop and a phone width (no serious or
// critical violations), a screenshot of each for review, the focus ring on the dark sidebar and
// the overview charts (labels at their real pixel size, tooltips).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startOpenAIMock } from '@switchyard/testkit';
import { ADMIN, nav, signIn, snap } from './support.ts';

const PAGES = [
  { path: '/', name: 'overview', heading: 'Overview' },
  { path: '/providers', name: 'providers', heading: 'Providers' },
  { path: '/routes', name: 'routes', heading: 'Routes' },
  { path: '/playground', name: 'playground', heading: 'Playground' },
  { path: '/logs', name: 'logs', heading: 'Request logs' },
  { path: '/spend', name: 'spend', heading: 'Spend' },
  { path: '/keys', name: 'keys', heading: 'API keys' },
  { path: '/settings', name: 'settings', heading: 'Settings' },
  { path: '/users', name: 'users', heading: 'Users' },
  { path: '/account', name: 'account', heading: 'Your account' },
];

/** The key of a mock vendor that is never saved as a provider. */
const DRAFT_KEY = 'sk-e2e-draft-3c1a7e55';

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

test.describe.configure({ mode: 'serial' });

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

test('every page has no serious accessibility problems at 1440 and 390 px', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN);
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    for (const target of PAGES) {
      await page.goto(target.path);
      await expect(
        page.getByRole('heading', { level: 1, name: target.heading, exact: true }),
      ).toBeVisible();
      // Let the queries behind the page answer before judging it.
      await page.waitForLoadState('networkidle');
      expect(await seriousViolations(page), `${target.path} at ${size.width} px`).toEqual([]);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${target.path} is ${width} px wide`).toBeLessThanOrEqual(size.width);
      await snap(page, `${target.name}-${size.width}`);
    }
  }
});

test('the sidebar shows where the keyboard focus is', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN);
  const link = nav(page, 'Providers');
  await link.focus();
  // Focus by keyboard, so :focus-visible applies.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  const outline = await link.evaluate((element) => {
    const style = getComputedStyle(element);
    return {
      style: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      color: style.outlineColor,
    };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
  // Light on the navy sidebar, not the page's dark accent blue.
  expect(outline.color).toBe('rgb(255, 209, 102)');
  await snap(page, 'sidebar-focus-1440');
});

test('overview charts keep readable labels and show exact values on hover and focus', async ({
  page,
}) => {
  await signIn(page, ADMIN);
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.goto('/');
    const chart = page.getByRole('group', { name: /^Requests per .*arrow keys/ });
    await expect(chart).toBeVisible();
    const heights = await page
      .locator('.sy-chart__axis')
      .evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.min(...heights), `smallest axis label at ${size.width} px`).toBeGreaterThanOrEqual(
      10,
    );
    const tooltip = chart.getByRole('status');
    // The page is drawn on the server first and grows as its queries answer: until it is
    // hydrated a move draws no tooltip, and the chart may still move down the page. So the
    // pointer goes again to where the chart is now (a move to the same place sends no event).
    let nudge = 0;
    await expect(async () => {
      await chart.scrollIntoViewIfNeeded();
      const box = await chart.boundingBox();
      if (!box) throw new Error('the chart has no box');
      nudge = (nudge + 1) % 10;
      await page.mouse.move(box.x + box.width - 30 - nudge, box.y + box.height / 2, { steps: 2 });
      await expect(tooltip).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(tooltip).toContainText(/\d\d:\d\d–\d\d:\d\d/);
    await expect(tooltip).toContainText(/requests: \d+/);
    await page.mouse.move(0, 0);
    await chart.focus();
    await page.keyboard.press('Home');
    await expect(tooltip).toContainText(/requests: \d+/);
  }
  await page.setViewportSize(WIDTHS[0] ?? { width: 1440, height: 900 });
  await snap(page, 'overview-chart-tooltip-1440');
});

test('a new provider lists its models before it is saved, and each vendor is offered once', async ({
  page,
}) => {
  const mock = await startOpenAIMock({ apiKey: DRAFT_KEY, models: ['draft-chat', 'draft-embed'] });
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, ADMIN);
    await page.goto('/providers');
    const types = page.getByLabel('Add a provider');
    // The list is filled once the page is hydrated: wait for it before reading it whole.
    await expect(types.locator('option', { hasText: 'Amazon Bedrock' })).toHaveCount(1);
    const labels = await types.locator('option').allTextContents();
    expect(labels.filter((label) => label === 'Amazon Bedrock')).toHaveLength(1);
    expect(labels.filter((label) => label === 'Google Gemini')).toHaveLength(1);
    expect(new Set(labels).size).toBe(labels.length);
    await types.selectOption('bedrock');
    await page.getByRole('button', { name: 'New provider' }).click();
    const bedrock = page.getByRole('form', { name: /provider$/ });
    await expect(bedrock.locator('input[name="config.region"]')).toHaveValue('us-east-1');
    await expect(bedrock.locator('input[name="config.modelId"]')).toHaveValue('');
    await bedrock.getByRole('button', { name: 'Cancel' }).click();

    await types.selectOption('openai');
    await page.getByRole('button', { name: 'New provider' }).click();
    const form = page.getByRole('form', { name: /provider$/ });
    await form.locator('input[name="endpoint"]').fill(mock.url);
    await form.locator('input[name="apiKey"]').fill(DRAFT_KEY);
    await form.getByRole('button', { name: 'Discover models' }).click();
    await expect(form.getByRole('button', { name: 'Add draft-chat' })).toBeVisible();
    await form.getByRole('button', { name: 'Add all' }).click();
    await expect(form.getByLabel('Model 1 public name')).toHaveValue('draft-chat');
    await expect(form.getByLabel('Model 2 public name')).toHaveValue('draft-embed');
    await expect(form.getByRole('button', { name: 'Added draft-chat' })).toBeDisabled();
    await snap(page, 'provider-draft-discovery-1440');
    await form.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await mock.close();
  }
});

test('what serves a request that names no route is explained in one place, linked from Providers', async ({
  page,
}) => {
  await signIn(page, ADMIN);
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.goto('/providers');
    await page.getByRole('link', { name: 'What serves a request' }).click();
    await expect(page).toHaveURL(/\/settings#what-serves$/);
    const section = page.getByRole('region', { name: 'What serves a request' });
    await expect(section).toBeVisible();
    // The order, with links to where each part is set.
    await expect(section.getByRole('link', { name: 'route', exact: true })).toHaveAttribute(
      'href',
      '/routes',
    );
    await expect(section.getByRole('link', { name: 'Providers', exact: true })).toHaveAttribute(
      'href',
      '/providers',
    );
    await expect(section).toContainText(/default route/i);
    await snap(page, `settings-what-serves-${size.width}`);
  }
});
