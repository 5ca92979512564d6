import { baseConfig } from '@switchyard/eslint-config';

export default [
  ...baseConfig,
  { ignores: ['test-results/**', 'playwright-report/**'] },
  {
    // Next.js finds pages, layouts and its config by their default export.
    files: [
      'src/app/**/{page,layout,not-found,error,loading}.tsx',
      'next.config.ts',
      'playwright.config.ts',
      'e2e/global-setup.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
