// The results file: every measurement of every round, the per-target medians, ratios against
// the direct call and against Portkey, and the targets checked one by one.
import type { ThroughputResult } from './closed-loop.ts';
import type { OpenLoopResult } from './open-loop.ts';
import type { BenchSettings, Scenario, ScenarioId } from './scenarios.ts';
import { median } from './stats.ts';
import type { TargetId } from './targets.ts';

export const RESULTS_SCHEMA = 'switchyard-bench/1';

export interface Measurement {
  round: number;
  target: TargetId;
  scenario: ScenarioId;
  closedLoop?: ThroughputResult;
  openLoop?: OpenLoopResult;
  /** CPU time the target's processes used during the measurement. */
  serverCpuSeconds?: number;
}

export interface TargetInfo {
  id: TargetId;
  label: string;
  description: string;
  measured: boolean;
  /** Why a target was not measured. */
  reason?: string;
}

export interface MemoryReading {
  /** VmHWM at the end of the run: the peak since the process started (MiB). */
  peakRssMiB: number;
  /** The largest VmRSS sampled every 250 ms while load ran (MiB). */
  rssUnderLoadMiB: number;
}

/** Milliseconds; null when not measured. */
export interface LatencyFigures {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface RateFigures extends LatencyFigures {
  /** The best (lowest) round's p50 and p99: the floor that added latency is measured from. */
  bestP50: number | null;
  bestP99: number | null;
  achievedRate: number | null;
  /** Rounds in which the target fell behind the offered rate. */
  saturatedRounds: number;
  rounds: number;
}

export interface TargetSummary {
  requestsPerSecond: number | null;
  streamsPerSecond: number | null;
  rate500: RateFigures;
  rate1000: RateFigures;
  slowRate500: RateFigures;
  /** At 100 streams/s: scheduled time to the first body bytes. */
  streamFirstByte: RateFigures;
  peakRssMiB: number | null;
  rssUnderLoadMiB: number | null;
  /** Server CPU time per answer at maximum throughput (µs): the figure least disturbed by a busy machine. */
  cpuPerRequestUs: number | null;
  cpuPerStreamUs: number | null;
  /** Failed requests over every measurement of this target. */
  errors: number;
  errorMessages: Record<string, number>;
}

export interface TargetRatios {
  throughputVsDirect: number | null;
  streamsVsDirect: number | null;
  throughputVsPortkey: number | null;
  streamsVsPortkey: number | null;
  /** The bare pass-through's throughput divided by this target's (1.5 = 1.5× slower). */
  passThroughOverThis: number | null;
  streamPassThroughOverThis: number | null;
  /** This target's server CPU per non-stream request over the pass-through's. */
  cpuOverPassThrough: number | null;
  /** Portkey's server CPU per non-stream request over this target's. */
  portkeyCpuOverThis: number | null;
  /**
   * Latency added over the direct call (ms): this target's median round minus the direct call's
   * best round, so a noisy baseline round cannot make a target look faster than it is.
   */
  addedAt500: { p50: number | null; p99: number | null };
  addedAt1000: { p50: number | null; p99: number | null };
  addedAtSlow500: { p50: number | null; p99: number | null };
  addedFirstByte: { p50: number | null; p99: number | null };
  /** The Redis-backed gateway against the in-memory one of the same run (its target only). */
  overInMemory?: InMemoryComparison;
}

/** What multi-instance mode on Redis costs: the Redis-backed gateway minus the in-memory one. */
export interface InMemoryComparison {
  /** Median round minus median round (ms): both targets carry the same noise. */
  addedAt500: { p50: number | null; p99: number | null };
  addedAt1000: { p50: number | null; p99: number | null };
  addedFirstByte: { p50: number | null; p99: number | null };
  /** Server CPU per answer (µs, Redis's own included) minus the in-memory gateway's. */
  addedCpuPerRequestUs: number | null;
  addedCpuPerStreamUs: number | null;
  /** This target's server CPU per non-stream request over the in-memory gateway's. */
  cpuOverInMemory: number | null;
}

export interface Check {
  target: TargetId;
  goal: string;
  measured: string;
  /** null when a figure it needs was not measured. */
  pass: boolean | null;
}

export interface Conditions {
  machine: { cpuModel: string; cpus: number; memoryGiB: number; loadAverageAtStart: number[] };
  node: string;
  platform: string;
  commit: string;
  loadGenerator: { closedLoop: string; openLoop: string };
  upstream: string;
  portkey: string;
  notes: string[];
}

export interface BenchResults {
  schema: typeof RESULTS_SCHEMA;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  settings: BenchSettings;
  conditions: Conditions;
  targets: TargetInfo[];
  scenarios: readonly Scenario[];
  summary: Partial<Record<TargetId, TargetSummary>>;
  ratios: Partial<Record<TargetId, TargetRatios>>;
  checks: Check[];
  measurements: Measurement[];
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function of(
  measurements: readonly Measurement[],
  target: TargetId,
  scenario: ScenarioId,
): Measurement[] {
  return measurements.filter(
    (measurement) => measurement.target === target && measurement.scenario === scenario,
  );
}

function rateFigures(
  runs: readonly Measurement[],
  pick: (result: OpenLoopResult) => { p50: number; p90: number; p99: number },
): RateFigures {
  const results = runs
    .map((run) => run.openLoop)
    .filter((result): result is OpenLoopResult => result !== undefined);
  const ms = (values: number[]) => round(finite(median(values.map((value) => value / 1000))), 3);
  const best = (values: number[]) =>
    round(finite(Math.min(...values.filter(Number.isFinite)) / 1000), 3);
  return {
    p50: ms(results.map((result) => pick(result).p50)),
    p90: ms(results.map((result) => pick(result).p90)),
    p99: ms(results.map((result) => pick(result).p99)),
    bestP50: best(results.map((result) => pick(result).p50)),
    bestP99: best(results.map((result) => pick(result).p99)),
    achievedRate: round(finite(median(results.map((result) => result.achievedRate))), 1),
    saturatedRounds: results.filter((result) => result.saturated).length,
    rounds: results.length,
  };
}

export function summarizeTarget(
  measurements: readonly Measurement[],
  target: TargetId,
  memory: MemoryReading | undefined,
): TargetSummary {
  const own = measurements.filter((measurement) => measurement.target === target);
  const rps = (scenario: ScenarioId) =>
    round(
      finite(
        median(
          of(measurements, target, scenario).map(
            (run) => run.closedLoop?.requestsPerSecond ?? Number.NaN,
          ),
        ),
      ),
      1,
    );
  const cpuPerAnswer = (scenario: ScenarioId) =>
    round(
      finite(
        median(
          of(measurements, target, scenario).map((run) => {
            const answers = (run.closedLoop?.completed ?? 0) + (run.closedLoop?.errors ?? 0);
            return run.serverCpuSeconds !== undefined && answers > 0
              ? (run.serverCpuSeconds * 1_000_000) / answers
              : Number.NaN;
          }),
        ),
      ),
      1,
    );
  const errorMessages: Record<string, number> = {};
  let errors = 0;
  for (const run of own) {
    const result = run.closedLoop ?? run.openLoop;
    if (!result) continue;
    errors += result.errors;
    for (const [message, count] of Object.entries(result.errorMessages))
      errorMessages[message] = (errorMessages[message] ?? 0) + count;
  }
  return {
    requestsPerSecond: rps('throughput'),
    streamsPerSecond: rps('stream-throughput'),
    rate500: rateFigures(of(measurements, target, 'rate-500'), (result) => result.latencyUs),
    rate1000: rateFigures(of(measurements, target, 'rate-1000'), (result) => result.latencyUs),
    slowRate500: rateFigures(
      of(measurements, target, 'slow-rate-500'),
      (result) => result.latencyUs,
    ),
    streamFirstByte: rateFigures(
      of(measurements, target, 'stream-ttfb'),
      (result) => result.firstByteUs,
    ),
    peakRssMiB: memory ? round(memory.peakRssMiB, 1) : null,
    rssUnderLoadMiB: memory ? round(memory.rssUnderLoadMiB, 1) : null,
    cpuPerRequestUs: cpuPerAnswer('throughput'),
    cpuPerStreamUs: cpuPerAnswer('stream-throughput'),
    errors,
    errorMessages,
  };
}

function divide(
  value: number | null | undefined,
  reference: number | null | undefined,
): number | null {
  if (
    value === null ||
    value === undefined ||
    reference === null ||
    reference === undefined ||
    reference === 0
  )
    return null;
  return round(value / reference, 3);
}

function subtract(
  value: number | null | undefined,
  reference: number | null | undefined,
): number | null {
  if (value === null || value === undefined || reference === null || reference === undefined)
    return null;
  return round(value - reference, 3);
}

export function ratiosFor(
  summary: Partial<Record<TargetId, TargetSummary>>,
  target: TargetId,
): TargetRatios {
  const own = summary[target];
  const direct = summary.direct;
  const portkey = summary.portkey;
  const passthrough = summary.passthrough;
  const added = (pick: (figures: TargetSummary) => RateFigures) => ({
    p50: subtract(own && pick(own).p50, direct && pick(direct).bestP50),
    p99: subtract(own && pick(own).p99, direct && pick(direct).bestP99),
  });
  return {
    throughputVsDirect: divide(own?.requestsPerSecond, direct?.requestsPerSecond),
    streamsVsDirect: divide(own?.streamsPerSecond, direct?.streamsPerSecond),
    throughputVsPortkey: divide(own?.requestsPerSecond, portkey?.requestsPerSecond),
    streamsVsPortkey: divide(own?.streamsPerSecond, portkey?.streamsPerSecond),
    passThroughOverThis: divide(passthrough?.requestsPerSecond, own?.requestsPerSecond),
    streamPassThroughOverThis: divide(passthrough?.streamsPerSecond, own?.streamsPerSecond),
    cpuOverPassThrough: divide(own?.cpuPerRequestUs, passthrough?.cpuPerRequestUs),
    portkeyCpuOverThis: divide(portkey?.cpuPerRequestUs, own?.cpuPerRequestUs),
    addedAt500: added((figures) => figures.rate500),
    addedAt1000: added((figures) => figures.rate1000),
    addedAtSlow500: added((figures) => figures.slowRate500),
    addedFirstByte: added((figures) => figures.streamFirstByte),
    ...(target === 'switchyard-redis' && own && summary.switchyard
      ? { overInMemory: compareWithInMemory(own, summary.switchyard) }
      : {}),
  };
}

export function compareWithInMemory(
  redis: TargetSummary,
  memory: TargetSummary,
): InMemoryComparison {
  const added = (pick: (figures: TargetSummary) => RateFigures) => ({
    p50: subtract(pick(redis).p50, pick(memory).p50),
    p99: subtract(pick(redis).p99, pick(memory).p99),
  });
  return {
    addedAt500: added((figures) => figures.rate500),
    addedAt1000: added((figures) => figures.rate1000),
    addedFirstByte: added((figures) => figures.streamFirstByte),
    addedCpuPerRequestUs: subtract(redis.cpuPerRequestUs, memory.cpuPerRequestUs),
    addedCpuPerStreamUs: subtract(redis.cpuPerStreamUs, memory.cpuPerStreamUs),
    cpuOverInMemory: divide(redis.cpuPerRequestUs, memory.cpuPerRequestUs),
  };
}

/** 150 MB (decimal megabytes, as the issue writes it) in MiB. */
export const RSS_LIMIT_MIB = 150_000_000 / 1024 / 1024;

function atLeast(value: number | null, goal: number): boolean | null {
  return value === null ? null : value >= goal;
}

function atMost(value: number | null, goal: number): boolean | null {
  return value === null ? null : value <= goal;
}

function show(value: number | null, unit = '', digits = 2): string {
  return value === null ? 'not measured' : `${value.toFixed(digits)}${unit}`;
}

/** The targets: the standalone gateway in full, and `pnpm start` against Portkey. */
export function checkTargets(
  summary: Partial<Record<TargetId, TargetSummary>>,
  ratios: Partial<Record<TargetId, TargetRatios>>,
): Check[] {
  const checks: Check[] = [];
  const gateway = summary.switchyard;
  const gatewayRatios = ratios.switchyard;
  if (gateway && gatewayRatios) {
    checks.push(
      {
        target: 'switchyard',
        goal: '≥ 5× Portkey throughput, non-stream',
        measured: `${show(gatewayRatios.throughputVsPortkey, '×')}`,
        pass: atLeast(gatewayRatios.throughputVsPortkey, 5),
      },
      {
        target: 'switchyard',
        goal: '≥ 5× Portkey throughput, streams',
        measured: `${show(gatewayRatios.streamsVsPortkey, '×')}`,
        pass: atLeast(gatewayRatios.streamsVsPortkey, 5),
      },
      {
        target: 'switchyard',
        goal: 'within 1.5× of the bare pass-through, non-stream',
        measured: `pass-through is ${show(gatewayRatios.passThroughOverThis, '×')} faster`,
        pass: atMost(gatewayRatios.passThroughOverThis, 1.5),
      },
      {
        target: 'switchyard',
        goal: 'within 1.5× of the bare pass-through, streams',
        measured: `pass-through is ${show(gatewayRatios.streamPassThroughOverThis, '×')} faster`,
        pass: atMost(gatewayRatios.streamPassThroughOverThis, 1.5),
      },
      {
        target: 'switchyard',
        goal: 'at 500 req/s: ≤ 0.5 ms added p50 over direct',
        measured: show(gatewayRatios.addedAt500.p50, ' ms'),
        pass: atMost(gatewayRatios.addedAt500.p50, 0.5),
      },
      {
        target: 'switchyard',
        goal: 'at 500 req/s: ≤ 3 ms added p99 over direct',
        measured: show(gatewayRatios.addedAt500.p99, ' ms'),
        pass: atMost(gatewayRatios.addedAt500.p99, 3),
      },
    );
    const rate1000 = gateway.rate1000;
    const held =
      rate1000.rounds === 0 || gateway.rate500.p50 === null || rate1000.p50 === null
        ? null
        : rate1000.saturatedRounds === 0 && rate1000.p50 <= gateway.rate500.p50 + 1;
    checks.push(
      {
        target: 'switchyard',
        goal: 'holds 1000 req/s without queueing (kept the rate every round; p50 ≤ p50 at 500 req/s + 1 ms)',
        measured: `fell behind in ${rate1000.saturatedRounds}/${rate1000.rounds} rounds; p50 ${show(rate1000.p50, ' ms')} vs ${show(gateway.rate500.p50, ' ms')} at 500`,
        pass: held,
      },
      {
        target: 'switchyard',
        goal: `peak RSS ≤ 150 MB (${RSS_LIMIT_MIB.toFixed(1)} MiB)`,
        measured: `${show(gateway.peakRssMiB, ' MiB', 1)} (VmHWM)`,
        pass: atMost(gateway.peakRssMiB, RSS_LIMIT_MIB),
      },
      {
        target: 'switchyard',
        goal: 'zero errors',
        measured: String(gateway.errors),
        pass: gateway.errors === 0,
      },
    );
  }
  const next = ratios['switchyard-next'];
  if (summary['switchyard-next'] && next) {
    checks.push({
      target: 'switchyard-next',
      goal: '≥ 2× Portkey throughput, non-stream',
      measured: show(next.throughputVsPortkey, '×'),
      pass: atLeast(next.throughputVsPortkey, 2),
    });
  }
  return checks;
}

function cell(value: number | null, digits = 2): string {
  return value === null ? '–' : value.toFixed(digits);
}

function rateCell(figures: RateFigures, withP90 = true): string {
  const values = withP90 ? [figures.p50, figures.p90, figures.p99] : [figures.p50, figures.p99];
  const text = values.map((value) => cell(value)).join(' / ');
  return figures.saturatedRounds > 0
    ? `${text} (fell behind ${figures.saturatedRounds}/${figures.rounds})`
    : text;
}

/** Whole µs with their sign: Redis may cost nothing measurable, and noise can read negative. */
function signed(value: number | null): string {
  if (value === null) return '–';
  const rounded = Math.round(value);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

function thousands(value: number | null): string {
  return value === null ? '–' : Math.round(value).toLocaleString('en-US');
}

/** The figures as Markdown tables: what the console prints and the README shows. */
export function renderTables(results: BenchResults): string {
  const measured = results.targets.filter((target) => target.measured);
  const lines: string[] = [];
  lines.push(
    '| target | req/s, non-stream | streams/s | server CPU µs per request / stream | @500 req/s p50 / p90 / p99 (ms) | @1000 req/s p50 / p90 / p99 (ms) | first byte @100 streams/s p50 / p99 (ms) | 50 ms upstream @500 req/s p50 / p99 (ms) | peak RSS (MiB) | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const target of measured) {
    const figures = results.summary[target.id];
    if (!figures) continue;
    lines.push(
      `| ${target.label} | ${thousands(figures.requestsPerSecond)} | ${thousands(figures.streamsPerSecond)} | ${thousands(figures.cpuPerRequestUs)} / ${thousands(figures.cpuPerStreamUs)} | ${rateCell(figures.rate500)} | ${rateCell(figures.rate1000)} | ${rateCell(figures.streamFirstByte, false)} | ${rateCell(figures.slowRate500, false)} | ${cell(figures.peakRssMiB, 0)} | ${figures.errors} |`,
    );
  }
  lines.push(
    '',
    '| target | × direct (req/s) | × Portkey (req/s) | × Portkey (streams/s) | CPU per request × pass-through | Portkey CPU per request ÷ this | added @500 p50 / p99 (ms) | added @1000 p50 / p99 (ms) | added first byte p50 (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const target of measured) {
    if (target.id === 'direct') continue;
    const ratio = results.ratios[target.id];
    if (!ratio) continue;
    lines.push(
      `| ${target.label} | ${cell(ratio.throughputVsDirect, 3)} | ${cell(ratio.throughputVsPortkey)} | ${cell(ratio.streamsVsPortkey)} | ${cell(ratio.cpuOverPassThrough)} | ${cell(ratio.portkeyCpuOverThis)} | ${cell(ratio.addedAt500.p50)} / ${cell(ratio.addedAt500.p99)} | ${cell(ratio.addedAt1000.p50)} / ${cell(ratio.addedAt1000.p99)} | ${cell(ratio.addedFirstByte.p50)} |`,
    );
  }
  const redis = measured.some((target) => target.id === 'switchyard-redis')
    ? results.ratios['switchyard-redis']?.overInMemory
    : undefined;
  if (redis) {
    const label = measured.find((target) => target.id === 'switchyard-redis')!.label;
    lines.push(
      '',
      '| target | over the in-memory gateway: added @500 p50 / p99 (ms) | added @1000 p50 / p99 (ms) | added first byte p50 / p99 (ms) | added CPU µs per request / stream | CPU per request × in-memory |',
      '|---|---:|---:|---:|---:|---:|',
      `| ${label} | ${cell(redis.addedAt500.p50)} / ${cell(redis.addedAt500.p99)} | ${cell(redis.addedAt1000.p50)} / ${cell(redis.addedAt1000.p99)} | ${cell(redis.addedFirstByte.p50)} / ${cell(redis.addedFirstByte.p99)} | ${signed(redis.addedCpuPerRequestUs)} / ${signed(redis.addedCpuPerStreamUs)} | ${cell(redis.cpuOverInMemory)} |`,
    );
  }
  if (results.checks.length > 0) {
    lines.push('', '| target | goal | measured | met |', '|---|---|---|---|');
    for (const check of results.checks)
      lines.push(
        `| ${check.target} | ${check.goal} | ${check.measured} | ${check.pass === null ? 'not measured' : check.pass ? 'yes' : 'NO'} |`,
      );
  }
  const skipped = results.targets.filter((target) => !target.measured);
  if (skipped.length > 0) {
    lines.push('');
    for (const target of skipped)
      lines.push(`Not measured: ${target.label} — ${target.reason ?? 'no reason recorded'}.`);
  }
  return lines.join('\n');
}

/** One paragraph on how the figures were taken, printed above the tables. */
export function renderConditions(results: BenchResults): string {
  const { conditions, settings } = results;
  const duration = (id: ScenarioId) => `${settings.durationMs[id] / 1000} s`;
  return [
    `Run ${results.startedAt} (${results.durationSeconds} s, ${settings.mode} mode), commit ${conditions.commit}.`,
    `Machine: ${conditions.machine.cpus} × ${conditions.machine.cpuModel}, ${conditions.machine.memoryGiB} GiB, load average at start ${conditions.machine.loadAverageAtStart.map((value) => value.toFixed(2)).join(' / ')}; ${conditions.platform}, Node ${conditions.node}.`,
    `Load generator, mock upstream and the server under test share these cores. ${settings.rounds} interleaved round(s); medians of the rounds.`,
    `Max throughput: ${conditions.loadGenerator.closedLoop}, 50 connections, ${duration('throughput')} per target and round. Fixed rates: ${conditions.loadGenerator.openLoop}, ${duration('rate-500')} at 500 and 1000 req/s, ${duration('stream-ttfb')} at 100 streams/s and ${duration('slow-rate-500')} against the 50 ms upstream; latency from each request's scheduled send time.`,
    `Upstream: ${conditions.upstream}. Peer: ${conditions.portkey}.`,
    ...conditions.notes,
  ].join('\n');
}

export const README_START = '<!-- bench:latest:start -->';
export const README_END = '<!-- bench:latest:end -->';

/** Replaces the README's latest-results block (between the markers) with `block`. */
export function replaceLatestBlock(readme: string, block: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start)
    throw new Error(`the README has no ${README_START} … ${README_END} block`);
  return `${readme.slice(0, start + README_START.length)}\n${block.trim()}\n${readme.slice(end)}`;
}
