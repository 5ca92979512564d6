// `/metrics` as a scraper sees it: bounded whatever clients send, with the histograms operators
// chart, and every series the example Grafana dashboard queries.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { createHttpHandler, type FetchHandler } from '../http/fetch-handler.ts';
import { activeKeysFromConfig, KeyRing } from '../keys/key-ring.ts';
import { Gateway } from '../service/gateway.ts';
import { ScriptedAdapter, scriptedRegistry } from '../test-support/scripted-adapter.ts';

const KEY = 'sk-sy-metrics-test-key-0001';
const DASHBOARD = new URL('../../../../examples/grafana-dashboard.json', import.meta.url);

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(): FetchHandler {
  const registry = scriptedRegistry({ a: new ScriptedAdapter('a') });
  const config = parseConfig(
    {
      providers: [
        {
          id: 'a',
          name: 'A',
          type: 'openai-compatible',
          endpoint: 'http://127.0.0.1:9',
          models: [{ name: 'm' }],
          limits: { maxConcurrency: 4 },
        },
      ],
      routes: [{ name: 'chat', targets: [{ provider: 'a', model: 'm' }] }],
      keys: [{ name: 'dev', key: KEY, limits: { maxConcurrency: 2 } }],
      retryAttempts: 0,
      enableHealthMonitoring: false,
      monitoring: { public: true },
    },
    registry,
  );
  gateway = new Gateway({ config, adapters: registry, monitorHealth: false });
  const keys = new KeyRing();
  keys.setKeys(activeKeysFromConfig(config.keys));
  return createHttpHandler({ gateway, keys });
}

function chat(handle: FetchHandler, model: string, stream = false): Promise<Response> {
  return handle(
    new Request('http://gateway/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    }),
  );
}

async function scrape(handle: FetchHandler): Promise<string> {
  const response = await handle(new Request('http://gateway/metrics'));
  expect(response.status).toBe(200);
  return await response.text();
}

/** Series lines without their values: what a scraper stores. */
function seriesOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.slice(0, line.lastIndexOf(' ')));
}

describe('/metrics', () => {
  it('stays under a fixed size after 10,000 requests naming random models', async () => {
    const handle = setup();
    const randomModel = () => `model-${Math.random().toString(36).slice(2)}`;
    for (let index = 0; index < 10; index++) await (await chat(handle, randomModel())).text();
    const early = await scrape(handle);
    for (let index = 0; index < 10_000; index++) {
      const response = await chat(handle, randomModel());
      expect(response.status).toBe(404);
      await response.text();
    }
    const late = await scrape(handle);
    // The same series after 10 and after 10,000 unknown models: only the counts grew.
    expect(seriesOf(late)).toEqual(seriesOf(early));
    expect(late).toContain('route="unknown"');
    expect(late).not.toContain('model-');
    expect(Buffer.byteLength(late)).toBeLessThan(32 * 1024);
  }, 60_000);

  it('has tokens per second and the wait for key and provider concurrency slots', async () => {
    const handle = setup();
    await (await chat(handle, 'chat')).text();
    await (await chat(handle, 'chat', true)).text();
    const text = await scrape(handle);
    expect(text).toMatch(
      /switchyard_output_tokens_per_second_count\{route="chat",provider="a"\} 2\n/,
    );
    expect(text).toMatch(/switchyard_concurrency_slot_wait_seconds_count\{scope="key"\} 2\n/);
    expect(text).toMatch(/switchyard_concurrency_slot_wait_seconds_count\{scope="provider"\} 2\n/);
    expect(text).toMatch(/switchyard_first_token_seconds_count\{route="chat",provider="a"\} 1\n/);
  });

  it('has every metric the example Grafana dashboard queries', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as GrafanaDashboard;
    const expressions = panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => target.expr),
    );
    expect(expressions.length).toBeGreaterThan(10);
    const queried = new Set(expressions.flatMap((expr) => expr.match(/switchyard_\w+/g) ?? []));
    const text = await scrape(setup());
    const exposed = new Set(
      [...text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!],
      ),
    );
    const missing = [...queried].filter((name) => !exposed.has(name));
    expect(missing).toEqual([]);
    // The histograms this dashboard is for.
    for (const name of [
      'switchyard_first_token_seconds_bucket',
      'switchyard_output_tokens_per_second_bucket',
      'switchyard_concurrency_slot_wait_seconds_bucket',
      'switchyard_state_store_up',
    ])
      expect(queried).toContain(name);
  });
});

interface GrafanaPanel {
  type: string;
  targets?: Array<{ expr: string }>;
  panels?: GrafanaPanel[];
}

interface GrafanaDashboard {
  title: string;
  panels: GrafanaPanel[];
}

function panelsOf(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}
