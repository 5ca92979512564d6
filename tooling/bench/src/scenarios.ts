// The measurements taken of every target in every round, and how long each lasts.
import type { Upstream } from './workload.ts';

export type ScenarioId =
  | 'sequential'
  | 'sequential-stream'
  | 'throughput'
  | 'stream-throughput'
  | 'rate-500'
  | 'rate-1000'
  | 'stream-ttfb'
  | 'slow-rate-500'
  | 'streams-2000';

export type Scenario =
  | {
      id: ScenarioId;
      kind: 'closed-loop';
      label: string;
      stream: boolean;
      upstream: Upstream;
      connections: number;
    }
  | {
      id: ScenarioId;
      kind: 'open-loop';
      label: string;
      stream: boolean;
      upstream: Upstream;
      ratePerSecond: number;
    }
  | {
      id: ScenarioId;
      kind: 'sequential';
      label: string;
      stream: boolean;
      upstream: Upstream;
    }
  | {
      id: ScenarioId;
      kind: 'stream-fleet';
      label: string;
      stream: true;
      upstream: Upstream;
      /** Streams held open at once. */
      streams: number;
      /** Client addresses they come from (127.0.0.2 …), spread evenly. */
      clients: number;
    };

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'sequential',
    kind: 'sequential',
    label: 'concurrency 1, non-stream: one request at a time',
    stream: false,
    upstream: 'fast',
  },
  {
    id: 'sequential-stream',
    kind: 'sequential',
    label: 'concurrency 1, streams: one at a time, time to first byte',
    stream: true,
    upstream: 'fast',
  },
  {
    id: 'throughput',
    kind: 'closed-loop',
    label: 'max throughput, non-stream, 50 connections',
    stream: false,
    upstream: 'fast',
    connections: 50,
  },
  {
    id: 'stream-throughput',
    kind: 'closed-loop',
    label: 'max throughput, streams of 20 chunks, 50 connections',
    stream: true,
    upstream: 'fast',
    connections: 50,
  },
  {
    id: 'rate-500',
    kind: 'open-loop',
    label: 'open loop at 500 req/s, non-stream',
    stream: false,
    upstream: 'fast',
    ratePerSecond: 500,
  },
  {
    id: 'rate-1000',
    kind: 'open-loop',
    label: 'open loop at 1000 req/s, non-stream',
    stream: false,
    upstream: 'fast',
    ratePerSecond: 1000,
  },
  {
    id: 'stream-ttfb',
    kind: 'open-loop',
    label: 'open loop at 100 streams/s: time to first byte',
    stream: true,
    upstream: 'fast',
    ratePerSecond: 100,
  },
  {
    id: 'slow-rate-500',
    kind: 'open-loop',
    label: 'open loop at 500 req/s, upstream answering after 50 ms',
    stream: false,
    upstream: 'slow',
    ratePerSecond: 500,
  },
  {
    id: 'streams-2000',
    kind: 'stream-fleet',
    label: '2,000 concurrent streams, a numbered frame every 50 ms',
    stream: true,
    upstream: 'tick',
    streams: 2000,
    // 125 streams per client address: within the gateway's connections-per-client guard (256).
    clients: 16,
  },
];

export const SCENARIO_IDS: readonly ScenarioId[] = SCENARIOS.map((scenario) => scenario.id);

/** `--scenarios a,b`: a subset of the scenarios, in the suite's order. */
export function parseScenarios(value: string | undefined): Scenario[] {
  if (value === undefined) return [...SCENARIOS];
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(SCENARIO_IDS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  return SCENARIOS.filter((scenario) => names.includes(scenario.id));
}

export interface BenchSettings {
  mode: 'full' | 'quick';
  rounds: number;
  /**
   * Length of one measurement per scenario (ms). For `streams-2000` it is how long each stream
   * lasts: its frame count is this ÷ 50 ms.
   */
  durationMs: Record<ScenarioId, number>;
  /** The 2,000-stream scenario: streams are opened over `rampMs`, may overrun their end by `drainMs`. */
  fleet: { rampMs: number; drainMs: number };
  /** Unrecorded load before the first round, per target and per stream mode (ms). */
  warmupMs: number;
  /** Pause between two measurements (ms), so one's tail does not spill into the next. */
  pauseMs: number;
}

export function settingsFor(mode: 'full' | 'quick', rounds?: number): BenchSettings {
  if (mode === 'quick') {
    return {
      mode,
      rounds: rounds ?? 1,
      durationMs: {
        sequential: 800,
        'sequential-stream': 800,
        throughput: 2000,
        'stream-throughput': 2000,
        'rate-500': 1500,
        'rate-1000': 1500,
        'stream-ttfb': 1000,
        'slow-rate-500': 1000,
        'streams-2000': 1000,
      },
      fleet: { rampMs: 300, drainMs: 15_000 },
      warmupMs: 1000,
      pauseMs: 200,
    };
  }
  return {
    mode,
    rounds: rounds ?? 3,
    durationMs: {
      sequential: 2000,
      'sequential-stream': 2000,
      throughput: 5000,
      'stream-throughput': 5000,
      'rate-500': 5000,
      'rate-1000': 5000,
      'stream-ttfb': 3000,
      'slow-rate-500': 3000,
      'streams-2000': 3000,
    },
    fleet: { rampMs: 1000, drainMs: 20_000 },
    warmupMs: 2000,
    pauseMs: 300,
  };
}

/** The frame interval of the tick upstream (ms). */
export const FRAME_INTERVAL_MS = 50;

/** Frames each stream of the 2,000-stream scenario asks for. */
export function fleetFrames(settings: BenchSettings): number {
  return Math.max(1, Math.round(settings.durationMs['streams-2000'] / FRAME_INTERVAL_MS));
}

/** Target order for a round: rotated each round so no target always runs first or last. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Seconds spent measuring (warm-up, every scenario of every round, pauses), start-up aside. */
export function estimatedRunSeconds(settings: BenchSettings, targets: number): number {
  const perRound = SCENARIOS.reduce(
    (sum, scenario) =>
      sum +
      settings.durationMs[scenario.id] +
      (scenario.kind === 'stream-fleet' ? settings.fleet.rampMs : 0) +
      settings.pauseMs,
    0,
  );
  // Warm-up: closed loop then half as long open loop, non-stream and stream.
  return (targets * (settings.rounds * perRound + 2 * 1.5 * settings.warmupMs)) / 1000;
}
