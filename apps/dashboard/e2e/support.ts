// What every spec after the walk shares: the accounts the walk creates, signing in, and
// screenshots kept as CI artifacts under test-results/screenshots/.
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Created by the walk (dashboard.spec.ts) with the first-run setup token. */
export const ADMIN = { email: 'admin@example.com', password: 'e2e admin password' };
export const VIEWER = { email: 'viewer@example.com', password: 'e2e viewer password' };

export const screenshots = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
mkdirSync(screenshots, { recursive: true });

export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

export function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}
