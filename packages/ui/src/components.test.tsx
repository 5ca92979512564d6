import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ProviderManager } from './provider-manager.tsx';
import { InferenceProviderSelector } from './inference-provider-selector.tsx';
import { HealthGrid } from './health-grid.tsx';
import { TimeSeriesChart } from './charts/time-series-chart.tsx';
import type { ProviderTemplateView, ProviderView } from './types.ts';

const templates: ProviderTemplateView[] = [
  {
    type: 'openai',
    label: 'OpenAI',
    defaultEndpoint: 'https://api.openai.com',
    fields: [{ name: 'apiKey', label: 'API key', secret: true, required: true }],
  },
];
const providers: ProviderView[] = [
  {
    id: 'b',
    name: 'Second',
    type: 'openai',
    priority: 2,
    enabled: true,
    weight: 1,
    hasApiKey: true,
    hasSecretKey: false,
  },
  {
    id: 'a',
    name: 'First',
    type: 'openai',
    priority: 1,
    enabled: false,
    weight: 1,
    hasApiKey: false,
    hasSecretKey: false,
  },
];
const noop = () => Promise.resolve({ ok: true as const });

describe('ProviderManager', () => {
  it('lists providers in priority order with their state', () => {
    const html = renderToStaticMarkup(
      <ProviderManager
        providers={providers}
        templates={templates}
        onCreate={noop}
        onUpdate={noop}
        onDelete={noop}
        onSetEnabled={noop}
        onReorder={noop}
        onTest={() => Promise.resolve({ ok: true })}
      />,
    );
    expect(html.indexOf('First')).toBeLessThan(html.indexOf('Second'));
    expect(html).toContain('API key •••• set');
    expect(html).toContain('data-status="disabled"');
    expect(html).toContain('>Enable<');
    expect(html).toContain('New provider');
  });

  it('offers each vendor once, leaving a second name for the same form out', () => {
    const html = renderToStaticMarkup(
      <ProviderManager
        providers={[]}
        templates={[
          ...templates,
          { type: 'bedrock', label: 'Amazon Bedrock', fields: [] },
          { type: 'aws', label: 'Amazon Bedrock', fields: [], aliasOf: 'bedrock' },
        ]}
        onCreate={noop}
      />,
    );
    expect(html).toContain('<option value="bedrock">Amazon Bedrock</option>');
    expect(html).not.toContain('<option value="aws">');
  });

  it('offers no changes when read-only', () => {
    const html = renderToStaticMarkup(
      <ProviderManager
        readOnly
        providers={providers}
        templates={templates}
        onCreate={noop}
        onDelete={noop}
        onTest={() => Promise.resolve({ ok: true })}
      />,
    );
    expect(html).toContain('>Test<');
    expect(html).not.toContain('>Edit<');
    expect(html).not.toContain('>Delete<');
    expect(html).not.toContain('New provider');
  });

  it('tells what to do when there is no provider', () => {
    const html = renderToStaticMarkup(
      <ProviderManager providers={[]} templates={templates} onCreate={noop} />,
    );
    expect(html).toContain('No providers yet');
  });
});

describe('InferenceProviderSelector', () => {
  it('shows the three seed choices with health when asked', () => {
    const html = renderToStaticMarkup(
      <InferenceProviderSelector
        value="cloud"
        showHealthStatus
        autoFallback
        health={{ 'lm-studio': { status: 'down' }, cloud: { status: 'healthy', latencyMs: 80 } }}
      />,
    );
    expect(html).toContain('Local (LM Studio)');
    expect(html).toContain('checked="" value="cloud"');
    expect(html).toContain('data-status="down"');
    expect(html).toContain('80 ms');
    expect(html).toContain('Fall back automatically');
  });

  it('hides health without showHealthStatus', () => {
    const html = renderToStaticMarkup(
      <InferenceProviderSelector health={{ cloud: { status: 'healthy' } }} />,
    );
    expect(html).not.toContain('sy-badge');
  });
});

describe('HealthGrid and charts', () => {
  it('renders one card per provider, unknown until checked', () => {
    const html = renderToStaticMarkup(
      <HealthGrid
        providers={[
          { id: 'x', name: 'X' },
          { id: 'y', name: 'Y' },
        ]}
        health={[{ providerId: 'x', status: 'circuit-open', error: 'refused' }]}
      />,
    );
    expect(html).toContain('Circuit open');
    expect(html).toContain('refused');
    expect(html).toContain('Not checked yet');
  });

  it('says when a chart has no data and draws lines when it has', () => {
    expect(
      renderToStaticMarkup(
        <TimeSeriesChart title="Requests" series={[{ name: 'rpm', points: [] }]} />,
      ),
    ).toContain('No data');
    const html = renderToStaticMarkup(
      <TimeSeriesChart
        title="Requests"
        series={[
          {
            name: 'rpm',
            summary: '4 in all',
            points: [
              { x: 0, y: 1 },
              { x: 60_000, y: 3 },
            ],
          },
        ]}
      />,
    );
    expect(html).toContain('<path');
    expect(html).toContain('rpm: 4 in all');
    // Drawn at a pixel size, not stretched: the labels keep their font size.
    expect(html).not.toContain('preserveAspectRatio');
    expect(html).toContain('width="600"');
  });
});
