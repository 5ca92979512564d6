// Acceptance: core, adapters, ui and sdk are built and packed, the tarballs installed with npm into
// a fresh project outside the repository, and every code block of the seed document is written
// there with its import line changed to '@switchyard/sdk' (the two React components':
// '@switchyard/sdk/react'), type-checked (strict) and run with node against mock vendors; the React
// blocks are rendered with react-dom/server and, in jsdom, clicked. The documented results must hold.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIMock, type OpenAIMock } from '@switchyard/testkit';
import {
  buildAndPack,
  createFreshProject,
  REPO_ROOT,
  repoVersion,
  type FreshProject,
} from './packed-project.ts';
import type { ConfigValidation } from '../src/seed-types.ts';
import { blockFile, literalFile, result, seedBlocks, type SeedBlock } from './seed-blocks.ts';

const blocks = seedBlocks();
const covered = new Set<number>();

function block(index: number, firstLine: string): SeedBlock {
  const found = blocks[index];
  covered.add(index);
  // The document is a verbatim copy: a block that moved or changed must be looked at again.
  if (!found?.code.startsWith(firstLine))
    throw new Error(`seed block ${index} no longer starts with ${JSON.stringify(firstLine)}`);
  return found;
}

const SDK_IMPORT =
  "import { cloudConfigService, inferenceService, type ChatCompletionRequest } from '@switchyard/sdk';";
const REQUEST =
  "const request: ChatCompletionRequest = { messages: [{ role: 'user', content: 'Hello, how are you?' }], max_tokens: 100 };";
const ASK_WHO = [
  "const answer = await inferenceService.chatCompletion({ messages: [{ role: 'user', content: 'Who answers?' }] });",
  result('answer.provider'),
].join('\n');
const BROWSER_STORAGE = [
  '// Node has no localStorage: this stands in for the browser one the block writes to.',
  'declare const localStorage: { setItem(key: string, value: string): void };',
  'const items = new Map<string, string>();',
  'Object.assign(globalThis, { localStorage: { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) } });',
].join('\n');
const PROVIDER_TYPE = "Omit<CloudProvider, 'id' | 'name'>";
const SETTINGS_TYPE = 'Partial<CloudConfig>';
const PROVIDER_LITERALS = ['type-openai', 'type-azure', 'type-aws', 'type-gcp', 'type-custom'];
const SETTINGS_LITERALS = [
  'balancing-priority',
  'balancing-round-robin',
  'balancing-health',
  'custom-health-check',
  'retry-configuration',
  'monitoring-configuration',
];

/** One run that validates every literal block: each as a provider, or as the global options. */
function literalsRunner(): string {
  const names = [...PROVIDER_LITERALS, ...SETTINGS_LITERALS];
  return [
    SDK_IMPORT,
    ...names.map((name, index) => `import { block as block${index} } from './${name}.js';`),
    'const results: Record<string, unknown> = {};',
    ...names.map((name, index) =>
      PROVIDER_LITERALS.includes(name)
        ? `results['${name}'] = cloudConfigService.validate({ providers: [{ id: 'seed', name: 'Seed', ...block${index} }] });`
        : `results['${name}'] = cloudConfigService.validate(block${index});`,
    ),
    result('results'),
  ].join('\n');
}

/** Renders each React block's App to HTML, as a server would. */
const RENDER_REACT = [
  "import { renderToString } from 'react-dom/server';",
  "import { App as ManagerApp } from './react-provider-manager.js';",
  "import { App as SelectorApp } from './react-provider-selector.js';",
  result('{ manager: renderToString(<ManagerApp />), selector: renderToString(<SelectorApp />) }'),
].join('\n');

/**
 * Mounts both Apps in jsdom: a click on "Cloud" switches the inferenceService, a change made
 * through the cloudConfigService elsewhere reaches the manager, and unmounting stops the selector.
 */
const INTERACT_REACT = [
  "import { JSDOM } from 'jsdom';",
  "import { cloudConfigService, inferenceService } from '@switchyard/sdk';",
  '// React DOM looks for a DOM when it is loaded, so the window comes first.',
  'const { window } = new JSDOM(\'<!doctype html><body><div id="manager"></div><div id="selector"></div></body>\');',
  '// Node 20 has no navigator either; React DOM reads its userAgent.',
  'Object.assign(globalThis, { window, document: window.document, navigator: window.navigator });',
  "const { createRoot } = await import('react-dom/client');",
  "const { App: ManagerApp } = await import('./react-provider-manager.js');",
  "const { App: SelectorApp } = await import('./react-provider-selector.js');",
  '/** What `read` gives once it gives something, within 5 s (React renders when it is ready). */',
  'async function waitFor<T>(read: () => T | null | undefined | false, what: string): Promise<T> {',
  '  for (const started = Date.now(); Date.now() - started < 5000; ) {',
  '    const value = read();',
  '    if (value) return value;',
  '    await new Promise((resolve) => setTimeout(resolve, 20));',
  '  }',
  '  throw new Error(`no ${what} after 5 s`);',
  '}',
  'const query = <T extends Element>(selector: string) => document.querySelector<T>(selector);',
  "const roots = ['#manager', '#selector'].map((selector) => createRoot(query(selector)!));",
  'roots[0]?.render(<ManagerApp />);',
  'roots[1]?.render(<SelectorApp />);',
  'const cloud = await waitFor(() => query<HTMLInputElement>(\'input[type="radio"][value="cloud"]\'), \'Cloud choice\');',
  "await waitFor(() => query('[data-provider=\"my-openai\"]'), 'provider list');",
  'cloud.click();',
  "const checked = await waitFor(() => cloud.checked, 'Cloud checked');",
  "const answer = await inferenceService.chatCompletion({ messages: [{ role: 'user', content: 'Who answers?' }] });",
  "await cloudConfigService.updateProvider('my-openai', { name: 'Renamed elsewhere' });",
  'const managerShows = await waitFor(',
  "  () => query('[data-provider=\"my-openai\"] strong')?.textContent === 'Renamed elsewhere' && 'Renamed elsewhere',",
  "  'renamed provider',",
  ');',
  'for (const root of roots) root.unmount();',
  'window.close();',
  result(
    '{ selection: inferenceService.getProvider(), checked, provider: answer.provider, managerShows }',
  ),
].join('\n');

/** Enough of jsdom's types for the test's own harness. */
const JSDOM_TYPES = [
  "declare module 'jsdom' {",
  '  export class JSDOM {',
  '    constructor(html?: string);',
  '    readonly window: Window & typeof globalThis;',
  '  }',
  '}',
].join('\n');

const migration = block(19, '// Start with LM Studio as primary');
const envBlock = block(1, '# OpenAI');

const SOURCES: Record<string, string> = {
  literals: literalsRunner(),
  'list-providers': [
    SDK_IMPORT,
    result('cloudConfigService.getConfig().providers.map((provider) => provider.id)'),
  ].join('\n'),
  // The test's own set-up: quick retries for the failure runs, and a default model for the
  // environment's OpenAI provider (the seed's requests name no model).
  setup: [
    SDK_IMPORT,
    'await cloudConfigService.updateConfig({ retryAttempts: 1, retryDelay: 50, timeout: 5000 });',
    "await cloudConfigService.updateProvider('openai', { config: { modelId: 'mock-model' } });",
  ].join('\n'),
  'basic-usage': blockFile({
    code: block(2, "import { inferenceService } from './services/inferenceServiceFactory';").code,
    epilogue: result(
      '{ provider: response.provider, content: response.choices[0]?.message.content }',
    ),
  }),
  'provider-management': blockFile({
    code: block(3, "import { cloudConfigService } from './services/cloudConfigService';").code,
    epilogue: result('providers.map((provider) => provider.id)'),
  }),
  'type-openai': literalFile(block(4, "{\n  type: 'openai'"), PROVIDER_TYPE),
  'type-azure': literalFile(block(5, "{\n  type: 'azure'"), PROVIDER_TYPE),
  'type-aws': literalFile(block(6, "{\n  type: 'aws'"), PROVIDER_TYPE),
  'type-gcp': literalFile(block(7, "{\n  type: 'gcp'"), PROVIDER_TYPE),
  'type-custom': literalFile(block(8, "{\n  type: 'custom'"), PROVIDER_TYPE),
  'balancing-priority': literalFile(block(9, "{\n  loadBalancing: 'priority'"), SETTINGS_TYPE),
  'balancing-round-robin': literalFile(
    block(10, "{\n  loadBalancing: 'round-robin'"),
    SETTINGS_TYPE,
  ),
  'balancing-health': literalFile(block(11, "{\n  loadBalancing: 'health-based'"), SETTINGS_TYPE),
  'react-provider-manager.tsx': blockFile({
    code: block(13, "import { CloudProviderManager } from './components/CloudProviderManager';")
      .code,
    epilogue: 'export { App };',
  }),
  'react-provider-selector.tsx': blockFile({
    code: block(
      14,
      "import { InferenceProviderSelector } from './components/InferenceProviderSelector';",
    ).code,
    epilogue: 'export { App };',
  }),
  'render-react.tsx': RENDER_REACT,
  'interact-react.tsx': INTERACT_REACT,
  'jsdom.d.ts': JSDOM_TYPES,
  'health-monitoring': blockFile({
    code: block(12, '// Get health status').code,
    epilogue: result('{ health, cloudHealth }'),
  }),
  'custom-health-check': literalFile(block(15, '{\n  healthCheck: {'), SETTINGS_TYPE),
  'retry-configuration': literalFile(block(16, '{\n  retryAttempts: 3'), SETTINGS_TYPE),
  'monitoring-configuration': literalFile(block(17, '{\n  enableHealthMonitoring'), SETTINGS_TYPE),
  'error-handling': blockFile({ prelude: REQUEST, code: block(18, 'try {').code }),
  'error-handling-chosen-provider': blockFile({
    prelude: [
      REQUEST,
      "inferenceService.setConfig({ defaultProvider: 'openai', cloudConfig: { enabled: true, autoFallback: false } });",
    ].join('\n'),
    code: block(18, 'try {').code,
  }),
  'migration-lm-studio-first': blockFile({
    code: migration.code.slice(0, migration.code.indexOf('// Later switch')),
    epilogue: ASK_WHO,
  }),
  'migration-cloud-first': blockFile({ code: migration.code, epilogue: ASK_WHO }),
  'testing-providers': blockFile({ code: block(20, '// Test all available providers').code }),
  batching: blockFile({
    code: block(21, '// Batch multiple requests').code,
    epilogue: result(
      'responses.map((response) => [response.provider, response.choices[0]?.message.content])',
    ),
  }),
  caching: blockFile({
    code: block(22, 'const cache = new Map();').code,
    epilogue: [
      "const asked: ChatCompletionRequest = { messages: [{ role: 'user', content: 'Cache me' }] };",
      'const first = await cachedChatCompletion(asked);',
      'const second = await cachedChatCompletion(asked);',
      result('{ same: first === second, provider: first.provider }'),
    ].join('\n'),
  }),
  'request-validation': blockFile({
    code: block(23, '// Validate requests before sending').code,
    epilogue: [
      'const refused: string[] = [];',
      "for (const request of [{ messages: [] }, { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 5000 }]) {",
      '  try { validateRequest(request); } catch (error) { refused.push(error.message); }',
      '}',
      "validateRequest({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 });",
      result('refused'),
    ].join('\n'),
  }),
  'rate-limiting': blockFile({
    code: block(24, 'class RateLimiter {').code,
    epilogue: [
      'const limiter = new RateLimiter();',
      "await limiter.checkLimit('openai', 1, 60_000);",
      "const second = await limiter.checkLimit('openai', 1, 60_000).then(() => 'allowed', (error) => error.message);",
      result('second'),
    ].join('\n'),
  }),
  'debug-mode': blockFile({
    prelude: BROWSER_STORAGE,
    code: block(25, '// Enable debug mode').code,
    epilogue: ASK_WHO,
  }),
  'health-check-debugging': blockFile({ code: block(26, '// Test specific provider').code }),
  'performance-metrics': blockFile({
    prelude: REQUEST,
    code: block(27, '// Track response times').code,
  }),
  'error-tracking': blockFile({
    prelude: REQUEST,
    code: block(28, '// Track errors by provider').code,
  }),
};

/** The seed's .env block, as KEY=VALUE pairs. */
function seedEnvironment(): Record<string, string> {
  const lines = envBlock.code.split('\n');
  return Object.fromEntries(
    lines
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * The packages a module of an installed package reaches: its bare imports, following its relative
 * ones through the package's own files.
 */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const reached = new Set<string>();
  const specifiers = /\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(specifiers)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else reached.add(specifier);
    }
  };
  visit(entry);
  return reached;
}

let openai: OpenAIMock;
let lmStudio: OpenAIMock;
let lmStudioStopped = false;
let packDirectory: string;
let project: FreshProject;
let appEnv: Record<string, string>;

beforeAll(async () => {
  [openai, lmStudio] = await Promise.all([
    startOpenAIMock({ apiKey: 'mock-openai-key' }),
    startOpenAIMock({ flavor: 'lmstudio' }),
  ]);
  packDirectory = mkdtempSync(join(tmpdir(), 'switchyard-packs-'));
  const tarballs = await buildAndPack(packDirectory);
  // The React blocks' packages, at the versions this repository uses, from the registry.
  project = await createFreshProject(tarballs, SOURCES, {
    dependencies: { react: repoVersion('react'), 'react-dom': repoVersion('react-dom') },
    devDependencies: {
      '@types/react': repoVersion('@types/react'),
      '@types/react-dom': repoVersion('@types/react-dom'),
      jsdom: repoVersion('jsdom'),
    },
  });
  await project.compile();
  // The seed's variable names with their REACT_APP_ prefix, pointed at the mocks.
  appEnv = {
    REACT_APP_OPENAI_API_KEY: 'mock-openai-key',
    REACT_APP_OPENAI_ENDPOINT: openai.url,
    REACT_APP_LM_STUDIO_URL: lmStudio.url,
  };
}, 300_000);

afterAll(async () => {
  await Promise.all([openai?.close(), lmStudioStopped ? undefined : lmStudio?.close()]);
  if (project) rmSync(project.directory, { recursive: true, force: true });
  if (packDirectory) rmSync(packDirectory, { recursive: true, force: true });
}, 60_000);

async function runOk(name: string, env: Record<string, string> = appEnv) {
  const run = await project.runFile(name, env);
  expect(run.code, `${name} failed:\n${run.stderr}`).toBe(0);
  return run;
}

describe(
  'the seed document, run from the packed @switchyard/sdk in a fresh project',
  { timeout: 60_000 },
  () => {
    it('installed outside the repository, from the tarballs', () => {
      expect(project.directory.startsWith(REPO_ROOT)).toBe(false);
      const installed = JSON.parse(
        readFileSync(join(project.directory, 'node_modules/@switchyard/sdk/package.json'), 'utf8'),
      ) as { exports: Record<string, { default: string }> };
      expect(installed.exports['.']?.default).toBe('./dist/index.js');
    });

    it('covers every block but the diagram', () => {
      const uncovered = blocks.filter((entry) => !covered.has(entry.index));
      expect(uncovered.map((entry) => [entry.index, entry.language])).toEqual([[0, '']]);
    });

    it('loads React only from @switchyard/sdk/react', () => {
      const installed = join(project.directory, 'node_modules/@switchyard/sdk/dist');
      const fromMain = [...packagesReachedFrom(join(installed, 'index.js'))];
      // Node's own modules aside: core and adapters, neither of which depends on React.
      expect(fromMain.filter((name) => !name.startsWith('node:')).sort()).toEqual([
        '@switchyard/adapters',
        '@switchyard/core',
      ]);
      expect([...packagesReachedFrom(join(installed, 'react/index.js'))]).toEqual(
        expect.arrayContaining(['react', 'react/jsx-runtime', '@switchyard/ui']),
      );
    });

    it("reads the seed's .env variables (REACT_APP_ names)", async () => {
      const run = await runOk('list-providers', {
        ...seedEnvironment(),
        SWITCHYARD_CONFIG_FILE: join(project.directory, 'env-check.json'),
      });
      expect(run.result).toEqual([
        'lmstudio',
        'openai',
        'azure',
        'aws',
        'gcp',
        'custom-1',
        'custom-2',
      ]);
    });

    it('keeps changes in .switchyard/cloud-config.json without the secrets of the environment', async () => {
      await runOk('setup');
      const file = join(project.directory, '.switchyard', 'cloud-config.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain('mock-openai-key');
      expect(JSON.parse(text)).toMatchObject({
        providers: [{ id: 'openai', config: { modelId: 'mock-model' } }],
        retryAttempts: 1,
        loadBalancing: 'priority',
      });
    });

    it('Provider Management: addProvider, then the provider list, also after a restart', async () => {
      expect((await runOk('provider-management')).result).toEqual([
        'lmstudio',
        'openai',
        'my-openai',
      ]);
      expect((await runOk('list-providers')).result).toEqual(['lmstudio', 'openai', 'my-openai']);
    });

    it('the React blocks render on a server: the providers, and the three choices with badges', async () => {
      const { manager, selector } = (await runOk('render-react')).result as {
        manager: string;
        selector: string;
      };
      for (const id of ['lmstudio', 'openai', 'my-openai'])
        expect(manager).toContain(`data-provider="${id}"`);
      expect(manager).toContain('LM Studio (local)');
      expect(manager).toContain('My OpenAI');
      expect(manager).toContain('New provider');
      for (const label of ['Local (LM Studio)', 'Cloud', 'Auto']) expect(selector).toContain(label);
      expect(selector.match(/type="radio"/g)).toHaveLength(3);
      expect(selector.match(/data-status=/g)).toHaveLength(3);
    });

    it('the React blocks in a DOM: a click switches the provider, a change elsewhere reaches the manager', async () => {
      const run = await runOk('interact-react');
      expect(run.result).toEqual({
        selection: 'cloud',
        checked: true,
        provider: 'openai',
        managerShows: 'Renamed elsewhere',
      });
      expect(run.stdout).toMatch(/^Switched to: cloud$/m);
      expect(run.stdout).toMatch(/^Config changed: \{/m);
    });

    it('Basic Usage: switchProvider("cloud") and a request name the cloud provider on the response', async () => {
      expect((await runOk('basic-usage')).result).toEqual({
        provider: 'openai',
        content: 'Echo: Hello, how are you?',
      });
    });

    it('the provider and option literals type-check as written, and validate', async () => {
      const results = (await runOk('literals')).result as Record<string, ConfigValidation>;
      expect(Object.keys(results)).toEqual([...PROVIDER_LITERALS, ...SETTINGS_LITERALS]);
      const { 'type-custom': custom, ...complete } = results;
      for (const [name, validation] of Object.entries(complete))
        expect(validation, name).toEqual({ isValid: true, errors: [] });
      // The seed's custom block leaves the format as a placeholder comment: it type-checks, and
      // validation names the part a working mapping still needs.
      expect(custom?.isValid).toBe(false);
      expect(custom?.errors).toEqual([
        expect.stringMatching(/^providers\[0\]\.config\.customFormat\.response: is required/),
      ]);
    });

    it('Health Monitoring: the grouped object and the per-provider array', async () => {
      const { health, cloudHealth } = (await runOk('health-monitoring')).result as {
        health: Record<string, { isHealthy: boolean }>;
        cloudHealth: { providerId: string; isHealthy: boolean }[];
      };
      expect(health['lm-studio']?.isHealthy).toBe(true);
      expect(health.cloud?.isHealthy).toBe(true);
      expect(cloudHealth.map((entry) => entry.providerId)).toEqual(['openai', 'my-openai']);
      expect(cloudHealth.every((entry) => typeof entry.isHealthy === 'boolean')).toBe(true);
    });

    it('Testing Providers: each available provider, healthy or not', async () => {
      const lines = (await runOk('testing-providers')).stdout.trim().split('\n');
      expect(lines).toEqual([
        'lm-studio: Healthy',
        'cloud: Healthy',
        'lmstudio: Healthy',
        'openai: Healthy',
        'my-openai: Unhealthy',
      ]);
    });

    it('Health Check Debugging: testProvider of a configured provider reports its health', async () => {
      const { stdout } = await runOk('health-check-debugging');
      expect(stdout).toMatch(
        /^Provider health: \{\s+providerId: 'openai',\s+isHealthy: true,\s+responseTime: \d+/,
      );
    });

    it('Request Batching answers each request; DEBUG=cloud-inference:* prints each attempt', async () => {
      const quiet = await runOk('batching');
      expect(quiet.result).toEqual([
        ['lmstudio', 'Echo: Hello 1'],
        ['lmstudio', 'Echo: Hello 2'],
        ['lmstudio', 'Echo: Hello 3'],
      ]);
      expect(quiet.stderr).not.toContain('cloud-inference:');
      const debug = await runOk('batching', { ...appEnv, DEBUG: 'cloud-inference:*' });
      expect(
        debug.stderr.match(/^cloud-inference:attempt .* provider=lmstudio .*outcome=success/gm),
      ).toHaveLength(3);
    });

    it('Debug Mode: localStorage debug and REACT_APP_DEBUG turn the output on', async () => {
      const run = await runOk('debug-mode');
      expect(run.result).toBe('lmstudio');
      expect(run.stderr).toMatch(/^cloud-inference:attempt .* provider=lmstudio/m);
    });

    it('Caching, Request Validation, Rate Limiting and Performance Metrics', async () => {
      expect((await runOk('caching')).result).toEqual({ same: true, provider: 'lmstudio' });
      expect((await runOk('request-validation')).result).toEqual([
        'Messages are required',
        'Max tokens exceeded',
      ]);
      expect((await runOk('rate-limiting')).result).toBe('Rate limit exceeded');
      expect((await runOk('performance-metrics')).stdout).toMatch(
        /^Request completed in \d+ms using lmstudio$/m,
      );
    });

    it('Error Handling takes the right branch: everything down, or the chosen provider failing', async () => {
      await lmStudio.close();
      lmStudioStopped = true;
      openai.setFault({ kind: 'server-error' });
      try {
        const down = await runOk('error-handling');
        expect(down.stderr).toContain('All inference providers are unavailable');
        const tracked = await runOk('error-tracking');
        expect(tracked.stderr).toMatch(/^Error with auto: .*No healthy providers available/m);
        const chosen = await runOk('error-handling-chosen-provider');
        expect(chosen.stderr).toContain('Provider health check failed');
        expect(chosen.stderr).not.toContain('All inference providers are unavailable');
      } finally {
        openai.setFault(null);
      }
    });

    it('Migration: with LM Studio stopped, the LM Studio-first setup falls back to the cloud', async () => {
      expect(lmStudioStopped).toBe(true);
      expect((await runOk('migration-lm-studio-first')).result).toBe('openai');
      expect((await runOk('migration-cloud-first')).result).toBe('openai');
    });
  },
);
