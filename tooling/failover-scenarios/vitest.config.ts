import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Full-length runs (`test:full`) wait out real upstream stalls of up to two minutes.
    testTimeout: 600_000,
    hookTimeout: 30_000,
  },
});
