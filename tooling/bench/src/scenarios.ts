// The measurements taken of every target in every round, and how long each lasts.
import type { Upstream } from './workload.ts';

export type ScenarioId =
  'throughput' | 'stream-throughput' | 'rate-500' | 'rate-1000' | 'stream-ttfb' | 'slow-rate-500';

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
    };

export const SCENARIOS: readonly Scenario[] = [
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
];

export interface BenchSettings {
  mode: 'full' | 'quick';
  rounds: number;
  /** Length of one measurement per scenario (ms). */
  durationMs: Record<ScenarioId, number>;
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
        throughput: 2000,
        'stream-throughput': 2000,
        'rate-500': 1500,
        'rate-1000': 1500,
        'stream-ttfb': 1000,
        'slow-rate-500': 1000,
      },
      warmupMs: 1000,
      pauseMs: 200,
    };
  }
  return {
    mode,
    rounds: rounds ?? 3,
    durationMs: {
      throughput: 5000,
      'stream-throughput': 5000,
      'rate-500': 5000,
      'rate-1000': 5000,
      'stream-ttfb': 3000,
      'slow-rate-500': 3000,
    },
    warmupMs: 2000,
    pauseMs: 300,
  };
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
    (sum, scenario) => sum + settings.durationMs[scenario.id] + settings.pauseMs,
    0,
  );
  // Warm-up: closed loop then half as long open loop, non-stream and stream.
  return (targets * (settings.rounds * perRound + 2 * 1.5 * settings.warmupMs)) / 1000;
}
