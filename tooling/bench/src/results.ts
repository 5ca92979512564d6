// The results file: every measurement of every round, the per-target medians, ratios against
// the direct call and against Portkey, and the targets checked one by one.
import type { ThroughputResult } from './closed-loop.ts';
import type { OpenLoopResult } from './open-loop.ts';
import type { BenchSettings, Scenario, ScenarioId } from './scenarios.ts';
import type { SequentialResult } from './sequential.ts';
import type { StreamFleetResult } from './stream-fleet.ts';
import { checkTargets, verdict } from './goals.ts';
import { median } from './stats.ts';
import type { TargetId } from './targets.ts';

export const RESULTS_SCHEMA = 'switchyard-bench/1';

export interface Measurement {
  round: number;
  target: TargetId;
  scenario: ScenarioId;
  closedLoop?: ThroughputResult;
  openLoop?: OpenLoopResult;
  sequential?: SequentialResult;
  streamFleet?: StreamFleetMeasurement;
  /** CPU time the target's processes used during the measurement. */
  serverCpuSeconds?: number;
}

export interface StreamFleetMeasurement extends StreamFleetResult {
  /** The largest VmRSS of the target sampled every 100 ms while it held the streams (MiB). */
  rssUnderLoadMiB?: number;
  /** The most streams the tick upstream had open at once: fewer than asked means the target queued them. */
  upstreamPeakOpen?: number;
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
  /** VmRSS right after start, before any benchmark request (MiB). */
  idleRssMiB?: number;
}

/** Concurrency 1 (ms): the median round, and the best round that added latency is measured from. */
export interface SequentialFigures {
  p50: number | null;
  p99: number | null;
  bestP50: number | null;
  bestP99: number | null;
  rounds: number;
}

/** The 2,000-stream scenario over every round: counts are sums, delays (ms) medians of the rounds. */
export interface FleetFigures {
  rounds: number;
  streams: number;
  framesPerStream: number;
  cleanStreams: number;
  errors: number;
  unfinished: number;
  lostFrames: number;
  reorderedFrames: number;
  duplicatedFrames: number;
  frameDelay: SequentialFigures;
  firstFrame: { p50: number | null; p99: number | null };
  /** Server CPU time per stream (µs), and the cores it kept busy on average while holding them. */
  cpuPerStreamUs: number | null;
  cpuCores: number | null;
  rssUnderLoadMiB: number | null;
  /** The fewest streams open at the upstream at once in any round. */
  upstreamPeakOpen: number | null;
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
  /** Concurrency 1: send to the whole answer (non-stream) and to the first byte of a stream. */
  sequential: SequentialFigures;
  sequentialFirstByte: SequentialFigures;
  /** Null when the scenario did not run against this target. */
  streams2000: FleetFigures | null;
  peakRssMiB: number | null;
  rssUnderLoadMiB: number | null;
  idleRssMiB: number | null;
  /** Server CPU time per answer at maximum throughput (µs): the figure least disturbed by a busy machine. */
  cpuPerRequestUs: number | null;
  cpuPerStreamUs: number | null;
  /** Failed requests over every measurement of this target. */
  errors: number;
  errorMessages: Record<string, number>;
}

export interface TargetRatios {
  /** The direct call this target is compared with: the Anthropic mock's for the translated target. */
  reference: TargetId;
  throughputVsDirect: number | null;
  streamsVsDirect: number | null;
  throughputVsPortkey: number | null;
  streamsVsPortkey: number | null;
  /** The bare pass-through's throughput divided by this target's (1.5 = 1.5× slower). */
  passThroughOverThis: number | null;
  streamPassThroughOverThis: number | null;
  /** This target's server CPU per non-stream request (per stream) over the pass-through's. */
  cpuOverPassThrough: number | null;
  cpuStreamOverPassThrough: number | null;
  /** Peak RSS over the pass-through's. */
  rssOverPassThrough: number | null;
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
  /** Concurrency 1, non-stream and first byte of a stream. */
  addedSequential: { p50: number | null; p99: number | null };
  addedSequentialFirstByte: { p50: number | null; p99: number | null };
  /** 2,000 streams: frame delivery delay over the direct call's. */
  addedFrameDelay: { p50: number | null; p99: number | null };
  /** The Redis-backed gateway against the in-memory one of the same run (its target only). */
  overInMemory?: InMemoryComparison;
  /** The translated target: its server CPU per request (stream) over the OpenAI-compatible gateway's. */
  cpuOverSameVendor?: { request: number | null; stream: number | null };
  /** `pnpm start`: its server CPU per request over the standalone gateway's. */
  cpuOverStandalone?: number | null;
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

function sequentialFigures(
  runs: readonly Measurement[],
  pick: (result: SequentialResult) => { p50: number; p99: number },
): SequentialFigures {
  const results = runs
    .map((run) => run.sequential)
    .filter((result): result is SequentialResult => result !== undefined && result.completed > 0);
  return latencyFigures(results.map(pick));
}

/** Median and best round of µs figures, in ms. */
function latencyFigures(values: ReadonlyArray<{ p50: number; p99: number }>): SequentialFigures {
  const ms = (list: number[]) => round(finite(median(list.map((value) => value / 1000))), 3);
  const best = (list: number[]) =>
    round(finite(Math.min(...list.filter(Number.isFinite)) / 1000), 3);
  return {
    p50: ms(values.map((value) => value.p50)),
    p99: ms(values.map((value) => value.p99)),
    bestP50: best(values.map((value) => value.p50)),
    bestP99: best(values.map((value) => value.p99)),
    rounds: values.length,
  };
}

export function summarizeFleet(runs: readonly Measurement[]): FleetFigures | null {
  const fleets = runs.filter(
    (run): run is Measurement & { streamFleet: StreamFleetMeasurement } =>
      run.streamFleet !== undefined,
  );
  if (fleets.length === 0) return null;
  const sum = (pick: (fleet: StreamFleetMeasurement) => number) =>
    fleets.reduce((total, run) => total + pick(run.streamFleet), 0);
  const delays = latencyFigures(
    fleets.map((run) => run.streamFleet.frameDelayUs).filter((delay) => delay.count > 0),
  );
  const firstFrames = latencyFigures(
    fleets.map((run) => run.streamFleet.firstFrameUs).filter((first) => first.count > 0),
  );
  const rss = fleets
    .map((run) => run.streamFleet.rssUnderLoadMiB)
    .filter((value): value is number => value !== undefined);
  const peaks = fleets
    .map((run) => run.streamFleet.upstreamPeakOpen)
    .filter((value): value is number => value !== undefined);
  const cpu = (per: (run: Measurement & { streamFleet: StreamFleetMeasurement }) => number) =>
    median(fleets.map((run) => (run.serverCpuSeconds === undefined ? Number.NaN : per(run))));
  return {
    rounds: fleets.length,
    streams: fleets[0]!.streamFleet.streams,
    framesPerStream: fleets[0]!.streamFleet.framesPerStream,
    cleanStreams: sum((fleet) => fleet.clean),
    errors: sum((fleet) => fleet.errors),
    unfinished: sum((fleet) => fleet.unfinished),
    lostFrames: sum((fleet) => fleet.lostFrames),
    reorderedFrames: sum((fleet) => fleet.reorderedFrames),
    duplicatedFrames: sum((fleet) => fleet.duplicatedFrames),
    frameDelay: delays,
    firstFrame: { p50: firstFrames.p50, p99: firstFrames.p99 },
    cpuPerStreamUs: round(
      finite(cpu((run) => (run.serverCpuSeconds! * 1_000_000) / run.streamFleet.streams)),
      1,
    ),
    cpuCores: round(
      finite(cpu((run) => run.serverCpuSeconds! / (run.streamFleet.durationMs / 1000))),
      3,
    ),
    rssUnderLoadMiB: rss.length > 0 ? round(Math.max(...rss), 1) : null,
    upstreamPeakOpen: peaks.length > 0 ? Math.min(...peaks) : null,
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
    const result = run.closedLoop ?? run.openLoop ?? run.sequential ?? run.streamFleet;
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
    sequential: sequentialFigures(
      of(measurements, target, 'sequential'),
      (result) => result.latencyUs,
    ),
    sequentialFirstByte: sequentialFigures(
      of(measurements, target, 'sequential-stream'),
      (result) => result.firstByteUs,
    ),
    streams2000: summarizeFleet(of(measurements, target, 'streams-2000')),
    peakRssMiB: memory ? round(memory.peakRssMiB, 1) : null,
    rssUnderLoadMiB: memory ? round(memory.rssUnderLoadMiB, 1) : null,
    idleRssMiB: memory?.idleRssMiB !== undefined ? round(memory.idleRssMiB, 1) : null,
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
  // The translated target is compared with the vendor it calls, called directly.
  const reference: TargetId =
    target === 'switchyard-anthropic' || target === 'direct-anthropic'
      ? 'direct-anthropic'
      : 'direct';
  const direct = summary[reference];
  const portkey = summary.portkey;
  const passthrough = summary.passthrough;
  const added = (
    pick: (figures: TargetSummary) => SequentialFigures | RateFigures | undefined,
  ) => ({
    p50: subtract(own && pick(own)?.p50, direct && pick(direct)?.bestP50),
    p99: subtract(own && pick(own)?.p99, direct && pick(direct)?.bestP99),
  });
  const gateway = summary.switchyard;
  return {
    reference,
    throughputVsDirect: divide(own?.requestsPerSecond, direct?.requestsPerSecond),
    streamsVsDirect: divide(own?.streamsPerSecond, direct?.streamsPerSecond),
    throughputVsPortkey: divide(own?.requestsPerSecond, portkey?.requestsPerSecond),
    streamsVsPortkey: divide(own?.streamsPerSecond, portkey?.streamsPerSecond),
    passThroughOverThis: divide(passthrough?.requestsPerSecond, own?.requestsPerSecond),
    streamPassThroughOverThis: divide(passthrough?.streamsPerSecond, own?.streamsPerSecond),
    cpuOverPassThrough: divide(own?.cpuPerRequestUs, passthrough?.cpuPerRequestUs),
    cpuStreamOverPassThrough: divide(own?.cpuPerStreamUs, passthrough?.cpuPerStreamUs),
    rssOverPassThrough: divide(own?.peakRssMiB, passthrough?.peakRssMiB),
    portkeyCpuOverThis: divide(portkey?.cpuPerRequestUs, own?.cpuPerRequestUs),
    addedAt500: added((figures) => figures.rate500),
    addedAt1000: added((figures) => figures.rate1000),
    addedAtSlow500: added((figures) => figures.slowRate500),
    addedFirstByte: added((figures) => figures.streamFirstByte),
    // Results files from before these scenarios have no such figures.
    addedSequential: added((figures) => figures.sequential),
    addedSequentialFirstByte: added((figures) => figures.sequentialFirstByte),
    addedFrameDelay: added((figures) => figures.streams2000?.frameDelay),
    ...(target === 'switchyard-redis' && own && gateway
      ? { overInMemory: compareWithInMemory(own, gateway) }
      : {}),
    ...(target === 'switchyard-anthropic'
      ? {
          cpuOverSameVendor: {
            request: divide(own?.cpuPerRequestUs, gateway?.cpuPerRequestUs),
            stream: divide(own?.cpuPerStreamUs, gateway?.cpuPerStreamUs),
          },
        }
      : {}),
    ...(target === 'switchyard-next'
      ? { cpuOverStandalone: divide(own?.cpuPerRequestUs, gateway?.cpuPerRequestUs) }
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
    if (isDirect(target.id)) continue;
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
  lines.push(...sequentialTable(results, measured), ...fleetTable(results, measured));
  lines.push(...translationTable(results, measured));
  if (results.checks.length > 0) {
    lines.push('', '| target | goal | measured | met |', '|---|---|---|---|');
    for (const check of results.checks)
      lines.push(`| ${check.target} | ${check.goal} | ${check.measured} | ${verdict(check)} |`);
  }
  const skipped = results.targets.filter((target) => !target.measured);
  if (skipped.length > 0) {
    lines.push('');
    for (const target of skipped)
      lines.push(`Not measured: ${target.label} — ${target.reason ?? 'no reason recorded'}.`);
  }
  return lines.join('\n');
}

type Measured = readonly TargetInfo[];

const isDirect = (id: TargetId) => id === 'direct' || id === 'direct-anthropic';

function pair(figures: { p50: number | null; p99: number | null } | undefined): string {
  return `${cell(figures?.p50 ?? null)} / ${cell(figures?.p99 ?? null)}`;
}

/** Concurrency 1 and idle memory, for every target that ran the concurrency-1 scenarios. */
function sequentialTable(results: BenchResults, measured: Measured): string[] {
  const rows = measured.filter(
    (target) => (results.summary[target.id]?.sequential?.rounds ?? 0) > 0,
  );
  if (rows.length === 0) return [];
  const lines = [
    '',
    '| target | concurrency 1 p50 / p99 (ms) | added p50 / p99 (ms) | stream first byte, concurrency 1 p50 / p99 (ms) | added p50 / p99 (ms) | idle RSS (MiB) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const target of rows) {
    const figures = results.summary[target.id]!;
    const ratio = results.ratios[target.id];
    const direct = isDirect(target.id);
    lines.push(
      `| ${target.label} | ${pair(figures.sequential)} | ${direct ? '–' : pair(ratio?.addedSequential)} | ${pair(figures.sequentialFirstByte)} | ${direct ? '–' : pair(ratio?.addedSequentialFirstByte)} | ${cell(figures.idleRssMiB ?? null, 0)} |`,
    );
  }
  return lines;
}

/** The 2,000-stream scenario, for every target that ran it. */
function fleetTable(results: BenchResults, measured: Measured): string[] {
  const rows = measured.filter((target) => results.summary[target.id]?.streams2000);
  if (rows.length === 0) return [];
  const first = results.summary[rows[0]!.id]!.streams2000!;
  const lines = [
    '',
    `2,000 concurrent streams (${first.streams.toLocaleString('en-US')} streams opened over ${results.settings.fleet.rampMs / 1000} s, ${first.framesPerStream} frames each, one every 50 ms; delay = arrival at the client − the upstream's write, one monotonic clock):`,
    '',
    '| target | clean streams | errors | frames lost / reordered | frame delay p50 / p99 (ms) | added p50 / p99 (ms) | first frame p50 / p99 (ms) | open at the upstream at once | server CPU (cores) / µs per stream | RSS holding them (MiB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const target of rows) {
    const fleet = results.summary[target.id]!.streams2000!;
    const ratio = results.ratios[target.id];
    lines.push(
      `| ${target.label} | ${thousands(fleet.cleanStreams)} / ${thousands(fleet.rounds * fleet.streams)} | ${fleet.errors} | ${fleet.lostFrames} / ${fleet.reorderedFrames} | ${pair(fleet.frameDelay)} | ${isDirect(target.id) ? '–' : pair(ratio?.addedFrameDelay)} | ${pair(fleet.firstFrame)} | ${thousands(fleet.upstreamPeakOpen)} | ${cell(fleet.cpuCores)} / ${thousands(fleet.cpuPerStreamUs)} | ${cell(fleet.rssUnderLoadMiB, 0)} |`,
    );
  }
  return lines;
}

/** What translating OpenAI Chat to Anthropic's Messages API costs, against the vendor called directly. */
function translationTable(results: BenchResults, measured: Measured): string[] {
  const target = measured.find((entry) => entry.id === 'switchyard-anthropic');
  const ratio = target && results.ratios[target.id];
  if (!target || !ratio) return [];
  return [
    '',
    '| target | over direct to the Anthropic mock: × throughput | added @500 p50 / p99 (ms) | added concurrency 1 p50 / p99 (ms) | added first byte p50 (ms) | CPU per request / stream × the OpenAI-compatible gateway |',
    '|---|---:|---:|---:|---:|---:|',
    `| ${target.label} | ${cell(ratio.throughputVsDirect, 3)} | ${pair(ratio.addedAt500)} | ${pair(ratio.addedSequential)} | ${cell(ratio.addedFirstByte.p50)} | ${cell(ratio.cpuOverSameVendor?.request ?? null)} / ${cell(ratio.cpuOverSameVendor?.stream ?? null)} |`,
  ];
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
    // Files from before these scenarios have no durations for them.
    ...(settings.durationMs.sequential !== undefined
      ? [
          `Concurrency 1: one request at a time, ${duration('sequential')} non-stream and ${duration('sequential-stream')} of streams per target and round. 2,000 streams: opened over ${settings.fleet.rampMs / 1000} s from 16 client addresses, each ${duration('streams-2000')} long.`,
        ]
      : []),
    `Upstream: ${conditions.upstream}. Peer: ${conditions.portkey}.`,
    ...conditions.notes,
  ].join('\n');
}

/**
 * The summary, ratios and goal checks computed again from a file's measurements (memory from its
 * summary): an older file is judged by today's goals, its missing scenarios as not measured.
 */
export function recompute(results: BenchResults): BenchResults {
  const summary: Partial<Record<TargetId, TargetSummary>> = {};
  for (const target of results.targets) {
    const old = results.summary[target.id];
    if (!target.measured || !old) continue;
    const memory =
      old.peakRssMiB !== null && old.rssUnderLoadMiB !== null
        ? {
            peakRssMiB: old.peakRssMiB,
            rssUnderLoadMiB: old.rssUnderLoadMiB,
            ...(typeof old.idleRssMiB === 'number' ? { idleRssMiB: old.idleRssMiB } : {}),
          }
        : undefined;
    summary[target.id] = summarizeTarget(results.measurements, target.id, memory);
  }
  const ratios: Partial<Record<TargetId, TargetRatios>> = {};
  for (const id of Object.keys(summary) as TargetId[]) ratios[id] = ratiosFor(summary, id);
  return { ...results, summary, ratios, checks: checkTargets(summary, ratios) };
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
