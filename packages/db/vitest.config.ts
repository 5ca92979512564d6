import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Opening PGlite (a WASM Postgres) takes seconds on a loaded machine; tests themselves stay short.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each worker holds a PGlite instance (~0.5 GB); two at a time is what the CI machine affords.
    maxWorkers: 2,
  },
});
