import { describe, expect, it } from 'vitest';
import type { ThroughputResult } from './closed-loop.ts';
import type { OpenLoopResult } from './open-loop.ts';
import type { SequentialResult } from './sequential.ts';
import { checkTargets } from './goals.ts';
import {
  compareWithInMemory,
  ratiosFor,
  renderConditions,
  renderTables,
  replaceLatestBlock,
  RESULTS_SCHEMA,
  summarizeTarget,
  type BenchResults,
  type Measurement,
  type StreamFleetMeasurement,
  type TargetRatios,
  type TargetSummary,
} from './results.ts';
import { SCENARIOS, settingsFor, type ScenarioId } from './scenarios.ts';
import type { TargetId } from './targets.ts';

function closed(requestsPerSecond: number, errors = 0): ThroughputResult {
  return {
    driver: 'wrk',
    requestsPerSecond,
    completed: requestsPerSecond * 5,
    errors,
    errorMessages: errors > 0 ? { 'non-2xx answers': errors } : {},
    durationMs: 5000,
  };
}

function open(p50Ms: number, p99Ms: number, saturated = false): OpenLoopResult {
  const latency = {
    count: 2500,
    p50: p50Ms * 1000,
    p90: ((p50Ms + p99Ms) / 2) * 1000,
    p99: p99Ms * 1000,
    max: p99Ms * 2000,
    mean: p50Ms * 1000,
  };
  return {
    offeredRate: 500,
    planned: 2500,
    completed: 2500,
    errors: 0,
    errorMessages: {},
    unfinished: 0,
    achievedRate: saturated ? 300 : 499,
    saturated,
    latencyUs: latency,
    firstByteUs: { ...latency, p50: latency.p50 / 2, p99: latency.p99 / 2 },
    sendLatenessUs: { count: 2500, p50: 20, p90: 40, p99: 80, max: 300, mean: 25 },
  };
}

function sequential(p50Ms: number, p99Ms: number): SequentialResult {
  const latency = (scale: number) => ({
    count: 4000,
    p50: p50Ms * 1000 * scale,
    p90: p50Ms * 1000 * scale,
    p99: p99Ms * 1000 * scale,
    max: p99Ms * 2000 * scale,
    mean: p50Ms * 1000 * scale,
  });
  return {
    completed: 4000,
    errors: 0,
    errorMessages: {},
    latencyUs: latency(1),
    firstByteUs: latency(0.5),
  };
}

function fleet(
  delayP50Ms: number,
  delayP99Ms: number,
  options: { lost?: number; errors?: number } = {},
): StreamFleetMeasurement {
  const summary = (p50: number, p99: number) => ({
    count: 120_000,
    p50: p50 * 1000,
    p90: p50 * 1000,
    p99: p99 * 1000,
    max: p99 * 2000,
    mean: p50 * 1000,
  });
  const errors = options.errors ?? 0;
  return {
    streams: 2000,
    framesPerStream: 60,
    clean: 2000 - errors,
    errors,
    errorMessages: errors > 0 ? { 'HTTP 502': errors } : {},
    unfinished: 0,
    receivedFrames: 120_000 - (options.lost ?? 0),
    lostFrames: options.lost ?? 0,
    reorderedFrames: 0,
    duplicatedFrames: 0,
    frameDelayUs: summary(delayP50Ms, delayP99Ms),
    firstFrameUs: summary(50 + delayP50Ms, 50 + delayP99Ms),
    durationMs: 4000,
    rssUnderLoadMiB: 180,
    upstreamPeakOpen: 2000,
  };
}

/** Three rounds of every scenario around `rps` and `latencyMs` (the middle round has them exactly). */
function rounds(
  target: TargetId,
  rps: number,
  latencyMs: number,
  options: { saturatedAt1000?: boolean; errors?: number; lostFrames?: number } = {},
): Measurement[] {
  const measurements: Measurement[] = [];
  for (const [index, wobble] of [0.9, 1, 1.2].entries()) {
    const round = index + 1;
    const add = (
      scenario: ScenarioId,
      result: Pick<
        Measurement,
        'closedLoop' | 'openLoop' | 'sequential' | 'streamFleet' | 'serverCpuSeconds'
      >,
    ) => measurements.push({ round, target, scenario, ...result });
    add('sequential', { sequential: sequential(latencyMs * 0.5 * wobble, latencyMs * 2 * wobble) });
    add('sequential-stream', {
      sequential: sequential(latencyMs * 0.5 * wobble, latencyMs * 2 * wobble),
    });
    // The server keeps 90 % of a core busy at maximum throughput.
    add('throughput', {
      closedLoop: closed(rps * wobble, round === 1 ? (options.errors ?? 0) : 0),
      serverCpuSeconds: 4.5,
    });
    add('stream-throughput', { closedLoop: closed((rps / 2) * wobble), serverCpuSeconds: 4.5 });
    add('rate-500', { openLoop: open(latencyMs * wobble, latencyMs * 10 * wobble) });
    add('rate-1000', {
      openLoop: open(latencyMs * 1.1 * wobble, latencyMs * 12 * wobble, options.saturatedAt1000),
    });
    add('stream-ttfb', { openLoop: open(latencyMs * 2 * wobble, latencyMs * 8 * wobble) });
    add('slow-rate-500', { openLoop: open(50 + latencyMs * wobble, 55 + latencyMs * wobble) });
    add('streams-2000', {
      streamFleet: fleet(latencyMs * wobble, latencyMs * 5 * wobble, {
        lost: round === 2 ? (options.lostFrames ?? 0) : 0,
      }),
      serverCpuSeconds: 1.2,
    });
  }
  return measurements;
}

const measurements = [
  ...rounds('direct', 30_000, 0.2),
  ...rounds('passthrough', 8000, 0.5),
  ...rounds('switchyard', 6000, 0.6),
  ...rounds('portkey', 1000, 2, { saturatedAt1000: true, errors: 7, lostFrames: 30 }),
];
const ids: TargetId[] = ['direct', 'passthrough', 'switchyard', 'portkey'];
const summary: Partial<Record<TargetId, TargetSummary>> = {};
for (const id of ids)
  summary[id] = summarizeTarget(measurements, id, {
    peakRssMiB: 120.04,
    rssUnderLoadMiB: 100,
    idleRssMiB: 60,
  });
const ratios: Partial<Record<TargetId, TargetRatios>> = {};
for (const id of ids) ratios[id] = ratiosFor(summary, id);

describe('summarizeTarget', () => {
  it('reports the median round of each figure, latencies in ms', () => {
    const gateway = summary.switchyard!;
    expect(gateway.requestsPerSecond).toBe(6000);
    expect(gateway.streamsPerSecond).toBe(3000);
    expect(gateway.rate500).toMatchObject({ p50: 0.6, p99: 6, saturatedRounds: 0, rounds: 3 });
    expect(gateway.streamFirstByte.p50).toBe(0.6);
    expect(gateway.peakRssMiB).toBe(120);
  });

  it('divides the server CPU time by the answers it gave', () => {
    expect(summary.switchyard!.cpuPerRequestUs).toBe(150);
    expect(summary.switchyard!.cpuPerStreamUs).toBe(300);
    expect(summary.portkey!.cpuPerRequestUs).toBe(900);
  });

  it('reports concurrency 1 and the 2,000 streams: sums of counts, medians of delays, CPU per stream', () => {
    const gateway = summary.switchyard!;
    expect(gateway.sequential).toMatchObject({ p50: 0.3, p99: 1.2, bestP50: 0.27, rounds: 3 });
    expect(gateway.sequentialFirstByte).toMatchObject({ p50: 0.15, p99: 0.6 });
    expect(gateway.idleRssMiB).toBe(60);
    expect(gateway.streams2000).toMatchObject({
      rounds: 3,
      streams: 2000,
      framesPerStream: 60,
      cleanStreams: 6000,
      lostFrames: 0,
      frameDelay: { p50: 0.6, p99: 3, bestP99: 2.7 },
      firstFrame: { p50: 50.6, p99: 53 },
      cpuPerStreamUs: 600,
      cpuCores: 0.3,
      rssUnderLoadMiB: 180,
      upstreamPeakOpen: 2000,
    });
    expect(summary.portkey!.streams2000!.lostFrames).toBe(30);
  });

  it('has no 2,000-stream figures for a target that did not run the scenario', () => {
    const older = measurements.filter((measurement) => measurement.scenario !== 'streams-2000');
    expect(summarizeTarget(older, 'switchyard', undefined).streams2000).toBeNull();
  });

  it('adds up the errors of every measurement and keeps their messages', () => {
    expect(summary.portkey!.errors).toBe(7);
    expect(summary.portkey!.errorMessages).toEqual({ 'non-2xx answers': 7 });
    expect(summary.portkey!.rate1000.saturatedRounds).toBe(3);
  });
});

describe('ratios and targets', () => {
  it('compares each target with the direct call, Portkey and the pass-through', () => {
    const gateway = ratios.switchyard!;
    expect(gateway.throughputVsDirect).toBe(0.2);
    expect(gateway.throughputVsPortkey).toBe(6);
    expect(gateway.streamsVsPortkey).toBe(6);
    expect(gateway.passThroughOverThis).toBe(1.333);
    // The gateway's median round (0.6 / 6 ms) minus the direct call's best round (0.18 / 1.8 ms).
    expect(gateway.addedAt500).toEqual({ p50: 0.42, p99: 4.2 });
    expect(gateway.cpuOverPassThrough).toBe(1.333);
    expect(gateway.cpuStreamOverPassThrough).toBe(1.333);
    expect(gateway.rssOverPassThrough).toBe(1);
    expect(gateway.portkeyCpuOverThis).toBe(6);
    // Concurrency 1: 0.3 / 1.2 ms against the direct call's best round, 0.09 / 0.36 ms.
    expect(gateway.addedSequential).toEqual({ p50: 0.21, p99: 0.84 });
    expect(gateway.addedSequentialFirstByte).toEqual({ p50: 0.105, p99: 0.42 });
    // Frame delay: 0.6 / 3 ms against 0.18 / 0.9 ms.
    expect(gateway.addedFrameDelay).toEqual({ p50: 0.42, p99: 2.1 });
    expect(gateway.reference).toBe('direct');
  });

  it('compares the translated target with the Anthropic mock called directly, and with the OpenAI-compatible gateway', () => {
    const all = [
      ...measurements,
      ...rounds('direct-anthropic', 20_000, 0.3),
      ...rounds('switchyard-anthropic', 5000, 0.8),
    ];
    const withVendor: Partial<Record<TargetId, TargetSummary>> = { ...summary };
    for (const id of ['direct-anthropic', 'switchyard-anthropic'] as const)
      withVendor[id] = summarizeTarget(all, id, undefined);
    const translated = ratiosFor(withVendor, 'switchyard-anthropic');
    expect(translated.reference).toBe('direct-anthropic');
    expect(translated.throughputVsDirect).toBe(0.25);
    // 0.8 ms at 500 req/s against the Anthropic mock's best round (0.27 ms).
    expect(translated.addedAt500.p50).toBe(0.53);
    // 4.5 s of CPU over 25,000 answers against the gateway's 30,000.
    expect(translated.cpuOverSameVendor).toEqual({ request: 1.2, stream: 1.2 });
  });

  it('checks the issue goals and says which are met', () => {
    const checks = checkTargets(summary, ratios);
    const verdict = (goal: string) => checks.find((check) => check.goal.startsWith(goal))?.pass;
    expect(verdict('CPU per request ≤ 1.25× the bare pass-through')).toBe(false);
    expect(verdict('CPU per stream ≤ 1.25×')).toBe(false);
    expect(verdict("Portkey's CPU per request ÷ ours ≥ 6")).toBe(true);
    expect(verdict('peak RSS ≤ 1.1×')).toBe(true);
    expect(verdict('idle RSS after start ≤ 70 MiB')).toBe(true);
    expect(verdict('concurrency 1: ≤ 0.2 ms added p50')).toBe(false);
    expect(verdict('concurrency 1: ≤ 1 ms added p99')).toBe(true);
    expect(verdict('at 500 req/s: ≤ 0.4 ms added p50')).toBe(false);
    expect(verdict('at 500 req/s: ≤ 3 ms added p99')).toBe(false);
    expect(verdict('stream first byte ≤ 0.5 ms added p50 (100 streams/s)')).toBe(true);
    expect(verdict('stream first byte ≤ 0.5 ms added p50 (concurrency 1)')).toBe(true);
    expect(verdict('2,000 streams: no lost or reordered frame')).toBe(true);
    expect(verdict('2,000 streams: no error')).toBe(true);
    expect(verdict('2,000 streams: frame delivery delay ≤ 5 ms')).toBe(true);
    // No pnpm start target in this run: its goals are not listed.
    expect(checks.every((check) => check.target === 'switchyard')).toBe(true);
  });

  it('leaves a goal unjudged when its reference was not measured', () => {
    const withoutPortkey = { ...summary, portkey: undefined };
    const checks = checkTargets(withoutPortkey, {
      switchyard: ratiosFor(withoutPortkey, 'switchyard'),
    });
    expect(checks.find((check) => check.goal.startsWith("Portkey's CPU"))?.pass).toBeNull();
  });
});

function sampleResults(): BenchResults {
  return {
    schema: RESULTS_SCHEMA,
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:12:05.000Z',
    durationSeconds: 480,
    settings: settingsFor('full'),
    conditions: {
      machine: {
        cpuModel: 'test cpu',
        cpus: 2,
        memoryGiB: 24,
        loadAverageAtStart: [0.5, 0.4, 0.3],
      },
      node: '20.20.2',
      platform: 'linux',
      commit: 'abc1234',
      loadGenerator: { closedLoop: 'wrk 4.1.0 (1 thread)', openLoop: 'open-loop generator' },
      upstream: 'testkit OpenAI mock',
      portkey: '@portkey-ai/gateway 1.15.2 from npm',
      notes: [],
    },
    targets: [
      ...ids.map((id) => ({ id, label: id, description: '', measured: true })),
      {
        id: 'switchyard-next' as const,
        label: 'next',
        description: '',
        measured: false,
        reason: 'no `pnpm start` script',
      },
    ],
    scenarios: SCENARIOS,
    summary,
    ratios,
    checks: checkTargets(summary, ratios),
    measurements,
  };
}

describe('the Redis-backed gateway against the in-memory one', () => {
  const withRedis = [...measurements, ...rounds('switchyard-redis', 5000, 0.7)];
  const both: Partial<Record<TargetId, TargetSummary>> = {
    switchyard: summarizeTarget(withRedis, 'switchyard', undefined),
    'switchyard-redis': summarizeTarget(withRedis, 'switchyard-redis', undefined),
  };

  it('reports the latency and CPU it adds, median round against median round', () => {
    const comparison = ratiosFor(both, 'switchyard-redis').overInMemory!;
    // 0.7 / 7 ms against 0.6 / 6 ms at 500 req/s; 4.5 s of CPU over 5 s × 5,000 against × 6,000.
    expect(comparison.addedAt500).toEqual({ p50: 0.1, p99: 1 });
    expect(comparison.addedAt1000).toEqual({ p50: 0.11, p99: 1.2 });
    expect(comparison.addedCpuPerRequestUs).toBe(30);
    expect(comparison.cpuOverInMemory).toBe(1.2);
    expect(compareWithInMemory(both.switchyard!, both.switchyard!).addedAt500).toEqual({
      p50: 0,
      p99: 0,
    });
  });

  it('is only computed for the Redis target, and only beside the in-memory one', () => {
    expect(ratiosFor(both, 'switchyard').overInMemory).toBeUndefined();
    const alone = { 'switchyard-redis': both['switchyard-redis'] };
    expect(ratiosFor(alone, 'switchyard-redis').overInMemory).toBeUndefined();
  });

  it('renders its own table beside the others', () => {
    const table = renderTables({
      ...sampleResults(),
      targets: (['switchyard', 'switchyard-redis'] as const).map((id) => ({
        id,
        label: id,
        description: '',
        measured: true,
      })),
      summary: both,
      ratios: {
        switchyard: ratiosFor(both, 'switchyard'),
        'switchyard-redis': ratiosFor(both, 'switchyard-redis'),
      },
      checks: [],
    });
    expect(table).toContain(
      '| switchyard-redis | 0.10 / 1.00 | 0.11 / 1.20 | 0.10 / 0.40 | +30 / +60 | 1.20 |',
    );
  });
});

describe('the results file', () => {
  const results = sampleResults();

  it('survives a JSON round trip with every section a reader needs', () => {
    const parsed = JSON.parse(JSON.stringify(results)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'schema',
      'startedAt',
      'finishedAt',
      'durationSeconds',
      'settings',
      'conditions',
      'targets',
      'scenarios',
      'summary',
      'ratios',
      'checks',
      'measurements',
    ]);
    expect(parsed.schema).toBe('switchyard-bench/1');
    expect((parsed.measurements as unknown[]).length).toBe(ids.length * 3 * SCENARIOS.length);
    expect(JSON.stringify(parsed)).not.toContain('NaN');
  });

  it('renders one row per measured target and says what was not measured', () => {
    const table = renderTables(results);
    expect(table).toContain('| switchyard | 6,000 | 3,000 | 150 / 300 | 0.60 / 3.30 / 6.00 |');
    expect(table).toContain('| switchyard | 0.200 | 6.00 | 6.00 | 1.33 | 6.00 | 0.42 / 4.20 |');
    expect(table).toContain('(fell behind 3/3)');
    expect(table).toContain('Not measured: next — no `pnpm start` script.');
    expect(table).toContain(
      '| switchyard | at 500 req/s: ≤ 3 ms added p99 over direct | 4.20 ms | **not met** |',
    );
    expect(table).toContain(
      '| switchyard | 0.30 / 1.20 | 0.21 / 0.84 | 0.15 / 0.60 | 0.10 / 0.42 | 60 |',
    );
    expect(table).toContain(
      '| switchyard | 6,000 / 6,000 | 0 | 0 / 0 | 0.60 / 3.00 | 0.42 / 2.10 | 50.60 / 53.00 | 2,000 | 0.30 / 600 | 180 |',
    );
    expect(table).toContain('| portkey | 6,000 / 6,000 | 0 | 30 / 0 |');
  });

  it('says how long the concurrency-1 and 2,000-stream scenarios ran, and nothing of them for older files', () => {
    expect(renderConditions(results)).toContain(
      'Concurrency 1: one request at a time, 2 s non-stream and 2 s of streams per target and round. 2,000 streams: opened over 1 s from 16 client addresses, each 3 s long.',
    );
    const older = structuredClone(results);
    delete (older.settings.durationMs as Partial<typeof older.settings.durationMs>).sequential;
    expect(renderConditions(older)).not.toContain('Concurrency 1');
  });

  it("replaces only the README's latest-results block", () => {
    const readme =
      'intro\n<!-- bench:latest:start -->\nold table\n<!-- bench:latest:end -->\nmethod\n';
    expect(replaceLatestBlock(readme, 'new table')).toBe(
      'intro\n<!-- bench:latest:start -->\nnew table\n<!-- bench:latest:end -->\nmethod\n',
    );
    expect(() => replaceLatestBlock('no markers', 'x')).toThrow(/no <!-- bench:latest:start -->/);
  });
});
