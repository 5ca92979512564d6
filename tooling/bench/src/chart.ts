// The side-by-side figures of a run as one hand-written SVG: throughput, server CPU per request
// and peak RSS of every target as ratios against the bare pass-through, one bar per target and
// panel, the pass-through's 1.0 marked. People compare bars faster than columns of numbers.
import type { BenchResults, TargetSummary } from './results.ts';
import type { TargetId } from './targets.ts';

export interface Panel {
  title: string;
  /** The target's figure and the pass-through's; null when either is missing. */
  pick(summary: TargetSummary): number | null;
  /** Direct rows measure the mock's process, not a proxy: left out of the CPU and memory panels. */
  withDirect: boolean;
}

export const PANELS: readonly Panel[] = [
  {
    title: 'Throughput, non-stream — × pass-through, higher is better',
    pick: (summary) => summary.requestsPerSecond,
    withDirect: true,
  },
  {
    title: 'Throughput, streams — × pass-through, higher is better',
    pick: (summary) => summary.streamsPerSecond,
    withDirect: true,
  },
  {
    title: 'Server CPU per request — × pass-through, lower is better',
    pick: (summary) => summary.cpuPerRequestUs,
    withDirect: false,
  },
  {
    title: 'Server CPU per stream — × pass-through, lower is better',
    pick: (summary) => summary.cpuPerStreamUs,
    withDirect: false,
  },
  {
    title: 'Peak RSS — × pass-through, lower is better',
    pick: (summary) => summary.peakRssMiB,
    withDirect: false,
  },
];

const WIDTH = 820;
const LABEL_WIDTH = 300;
const BAR_AREA = WIDTH - LABEL_WIDTH - 80;
const ROW = 22;
const COLORS: Partial<Record<TargetId, string>> = {
  direct: '#9aa5b1',
  'direct-anthropic': '#9aa5b1',
  passthrough: '#52606d',
  switchyard: '#2563eb',
  'switchyard-redis': '#7c3aed',
  'switchyard-baseline': '#93c5fd',
  'switchyard-next': '#0891b2',
  'switchyard-anthropic': '#d97706',
  portkey: '#dc2626',
};

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export interface ChartBar {
  id: TargetId;
  label: string;
  /** Ratio against the pass-through; null when not measured. */
  ratio: number | null;
}

/** The bars of one panel: every measured target, its figure over the pass-through's. */
export function panelBars(results: BenchResults, panel: Panel): ChartBar[] {
  const reference = results.summary.passthrough && panel.pick(results.summary.passthrough);
  return results.targets
    .filter((target) => target.measured && results.summary[target.id])
    .filter(
      (target) => panel.withDirect || (target.id !== 'direct' && target.id !== 'direct-anthropic'),
    )
    .map((target) => {
      const value = panel.pick(results.summary[target.id]!);
      return {
        id: target.id,
        label: target.label,
        ratio:
          value === null || reference === null || reference === undefined || reference === 0
            ? null
            : value / reference,
      };
    });
}

export function renderChart(results: BenchResults): string {
  const parts: string[] = [];
  let y = 0;
  const text = (x: number, at: number, content: string, attributes = '') =>
    parts.push(`<text x="${x}" y="${at}"${attributes}>${escapeXml(content)}</text>`);
  y += 28;
  text(
    16,
    y,
    `Switchyard benchmark, ${results.startedAt.slice(0, 10)} (${results.settings.mode} run, commit ${results.conditions.commit})`,
    ' class="title"',
  );
  y += 18;
  text(
    16,
    y,
    `Ratios against the bare pass-through proxy (1.0, the dashed line); medians of ${results.settings.rounds} interleaved round(s).`,
    ' class="note"',
  );
  y += 14;
  for (const panel of PANELS) {
    const bars = panelBars(results, panel);
    if (bars.length === 0) continue;
    y += 26;
    text(16, y, panel.title, ' class="panel"');
    y += 8;
    const largest = Math.max(1, ...bars.map((bar) => bar.ratio ?? 0));
    const scale = BAR_AREA / largest;
    const top = y;
    for (const bar of bars) {
      const middle = y + ROW / 2;
      text(LABEL_WIDTH - 8, middle + 4, bar.label, ' text-anchor="end"');
      if (bar.ratio === null) text(LABEL_WIDTH + 4, middle + 4, 'not measured', ' class="missing"');
      else {
        const width = Math.max(1, bar.ratio * scale);
        parts.push(
          `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW - 6}" fill="${COLORS[bar.id] ?? '#64748b'}"/>`,
        );
        text(LABEL_WIDTH + width + 6, middle + 4, `${bar.ratio.toFixed(2)}×`);
      }
      y += ROW;
    }
    const one = LABEL_WIDTH + scale;
    parts.push(
      `<line x1="${one.toFixed(1)}" y1="${top}" x2="${one.toFixed(1)}" y2="${y}" stroke="#111827" stroke-dasharray="4 3"/>`,
    );
  }
  y += 24;
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13">`,
    '<style>text{fill:#111827}.title{font-size:16px;font-weight:600}.panel{font-weight:600}.note,.missing{fill:#52606d;font-size:12px}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
