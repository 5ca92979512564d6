// End-to-end tests in Debian's Chromium against `pnpm start` (a production build) with a fresh
// embedded database and the adapter testkit's mock vendors as providers.
import { defineConfig } from '@playwright/test';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETUP_TOKEN } from './e2e/global-setup.ts';

const port = Number(process.env.E2E_PORT ?? 3100);
const home = fileURLToPath(new URL('./test-results/e2e-home', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

// The config is loaded by the runner and again by each worker; only the runner starts afresh.
if (!process.env.TEST_WORKER_INDEX) rmSync(home, { recursive: true, force: true });

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  // The walk sets the dashboard up (first admin, providers, routes, keys); every other spec
  // starts from what it left and signs in with the accounts in e2e/support.ts.
  projects: [
    { name: 'walk', testMatch: 'dashboard.spec.ts' },
    { name: 'after-walk', testIgnore: 'dashboard.spec.ts', dependencies: ['walk'] },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'pnpm start',
    cwd: repositoryRoot,
    url: `http://127.0.0.1:${port}/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      SWITCHYARD_HOME: home,
      // A fresh embedded database even where DATABASE_URL points at a shared server.
      DATABASE_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
      SWITCHYARD_SETUP_TOKEN: SETUP_TOKEN,
    },
  },
});
