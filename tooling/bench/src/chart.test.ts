import { describe, expect, it } from 'vitest';
import { escapeXml, PANELS, panelBars, renderChart } from './chart.ts';
import type { BenchResults, TargetSummary } from './results.ts';
import { settingsFor } from './scenarios.ts';
import type { TargetId } from './targets.ts';

function figures(
  requestsPerSecond: number | null,
  cpuPerRequestUs: number,
  peakRssMiB: number,
): TargetSummary {
  return {
    requestsPerSecond,
    streamsPerSecond: requestsPerSecond === null ? null : requestsPerSecond / 2,
    cpuPerRequestUs,
    cpuPerStreamUs: cpuPerRequestUs * 2,
    peakRssMiB,
  } as TargetSummary;
}

function results(summary: Partial<Record<TargetId, TargetSummary>>): BenchResults {
  return {
    startedAt: '2026-12-04T01:00:00.000Z',
    settings: settingsFor('full'),
    conditions: { commit: 'abc1234' },
    targets: (Object.keys(summary) as TargetId[]).map((id) => ({
      id,
      label: id === 'portkey' ? 'Portkey <gateway> & co' : id,
      description: '',
      measured: true,
    })),
    summary,
  } as unknown as BenchResults;
}

const run = results({
  direct: figures(30_000, 30, 200),
  passthrough: figures(10_000, 80, 100),
  switchyard: figures(8000, 120, 150),
  portkey: figures(null, 800, 250),
});

describe('the chart', () => {
  it('puts every target against the pass-through, direct only where its figure is a proxy’s', () => {
    const [throughput, , cpu, , rss] = PANELS.map((panel) => panelBars(run, panel));
    expect(throughput!.map((bar) => [bar.id, bar.ratio])).toEqual([
      ['direct', 3],
      ['passthrough', 1],
      ['switchyard', 0.8],
      ['portkey', null],
    ]);
    expect(cpu!.map((bar) => [bar.id, bar.ratio])).toEqual([
      ['passthrough', 1],
      ['switchyard', 1.5],
      ['portkey', 10],
    ]);
    expect(rss!.find((bar) => bar.id === 'switchyard')!.ratio).toBe(1.5);
  });

  it('is an SVG with readable labels and values, escaped, and says what was not measured', () => {
    const svg = renderChart(run);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Switchyard benchmark, 2026-12-04 (full run, commit abc1234)');
    expect(svg).toContain('>0.80×</text>');
    expect(svg).toContain('>1.50×</text>');
    expect(svg).toContain('>10.00×</text>');
    expect(svg).toContain('Portkey &lt;gateway&gt; &amp; co');
    expect(svg).not.toContain('Portkey <gateway>');
    expect(svg).toContain('>not measured</text>');
    // Five panels, each with its dashed 1.0 line.
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(5);
    expect(svg).not.toContain('NaN');
  });

  it('draws no bars without the pass-through to compare with', () => {
    const alone = results({ switchyard: figures(8000, 120, 150) });
    expect(renderChart(alone)).not.toContain('<rect x=');
  });

  it('escapes the XML specials', () => {
    expect(escapeXml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
  });
});
