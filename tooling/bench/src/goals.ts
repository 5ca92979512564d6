// Issue 19's goals, each checked against one run's figures: met, not met, or not measured (a
// figure it needs is missing, e.g. the pass-through was not among the targets). The README's goal
// table lists the same goals, word for word.
import type { Check, TargetRatios, TargetSummary } from './results.ts';
import type { TargetId } from './targets.ts';

type Summaries = Partial<Record<TargetId, TargetSummary>>;
type Ratios = Partial<Record<TargetId, TargetRatios>>;

export interface Goal {
  target: TargetId;
  goal: string;
  evaluate(
    summary: TargetSummary,
    ratios: TargetRatios,
  ): { measured: string; pass: boolean | null };
}

function show(value: number | null | undefined, unit = '', digits = 2): string {
  return value === null || value === undefined ? 'not measured' : `${value.toFixed(digits)}${unit}`;
}

const atMost =
  (
    pick: (summary: TargetSummary, ratios: TargetRatios) => number | null | undefined,
    limit: number,
    unit: string,
    digits = 2,
  ) =>
  (summary: TargetSummary, ratios: TargetRatios) => {
    const value = pick(summary, ratios) ?? null;
    return { measured: show(value, unit, digits), pass: value === null ? null : value <= limit };
  };

const atLeast =
  (
    pick: (summary: TargetSummary, ratios: TargetRatios) => number | null | undefined,
    limit: number,
    unit: string,
  ) =>
  (summary: TargetSummary, ratios: TargetRatios) => {
    const value = pick(summary, ratios) ?? null;
    return { measured: show(value, unit), pass: value === null ? null : value >= limit };
  };

export const GOALS: readonly Goal[] = [
  {
    target: 'switchyard',
    goal: 'CPU per request ≤ 1.25× the bare pass-through, JSON',
    evaluate: atMost((_, ratios) => ratios.cpuOverPassThrough, 1.25, '×'),
  },
  {
    target: 'switchyard',
    goal: 'CPU per stream ≤ 1.25× the bare pass-through, streams',
    evaluate: atMost((_, ratios) => ratios.cpuStreamOverPassThrough, 1.25, '×'),
  },
  {
    target: 'switchyard',
    goal: "Portkey's CPU per request ÷ ours ≥ 6",
    evaluate: atLeast((_, ratios) => ratios.portkeyCpuOverThis, 6, ''),
  },
  {
    target: 'switchyard',
    goal: "peak RSS ≤ 1.1× the pass-through's",
    evaluate: atMost((_, ratios) => ratios.rssOverPassThrough, 1.1, '×'),
  },
  {
    target: 'switchyard',
    goal: 'idle RSS after start ≤ 70 MiB',
    evaluate: atMost((summary) => summary.idleRssMiB, 70, ' MiB', 1),
  },
  {
    target: 'switchyard',
    goal: 'concurrency 1: ≤ 0.2 ms added p50 over direct',
    evaluate: atMost((_, ratios) => ratios.addedSequential?.p50, 0.2, ' ms', 3),
  },
  {
    target: 'switchyard',
    goal: 'concurrency 1: ≤ 1 ms added p99 over direct',
    evaluate: atMost((_, ratios) => ratios.addedSequential?.p99, 1, ' ms', 3),
  },
  {
    target: 'switchyard',
    goal: 'at 500 req/s: ≤ 0.4 ms added p50 over direct',
    evaluate: atMost((_, ratios) => ratios.addedAt500.p50, 0.4, ' ms'),
  },
  {
    target: 'switchyard',
    goal: 'at 500 req/s: ≤ 3 ms added p99 over direct',
    evaluate: atMost((_, ratios) => ratios.addedAt500.p99, 3, ' ms'),
  },
  {
    target: 'switchyard',
    goal: 'stream first byte ≤ 0.5 ms added p50 (100 streams/s)',
    evaluate: atMost((_, ratios) => ratios.addedFirstByte.p50, 0.5, ' ms'),
  },
  {
    target: 'switchyard',
    goal: 'stream first byte ≤ 0.5 ms added p50 (concurrency 1)',
    evaluate: atMost((_, ratios) => ratios.addedSequentialFirstByte?.p50, 0.5, ' ms', 3),
  },
  {
    target: 'switchyard',
    goal: '2,000 streams: no lost or reordered frame',
    evaluate: (summary) => {
      const fleet = summary.streams2000;
      if (!fleet) return { measured: 'not measured', pass: null };
      const wrong = fleet.lostFrames + fleet.reorderedFrames + fleet.duplicatedFrames;
      return {
        measured: `${fleet.lostFrames} lost, ${fleet.reorderedFrames} reordered, ${fleet.duplicatedFrames} duplicated of ${(fleet.rounds * fleet.streams * fleet.framesPerStream).toLocaleString('en-US')}`,
        pass: wrong === 0,
      };
    },
  },
  {
    target: 'switchyard',
    goal: '2,000 streams: no error',
    evaluate: (summary) => {
      const fleet = summary.streams2000;
      if (!fleet) return { measured: 'not measured', pass: null };
      return {
        measured: `${fleet.errors} errors (${fleet.unfinished} unfinished) in ${fleet.rounds} × ${fleet.streams.toLocaleString('en-US')} streams`,
        pass: fleet.errors === 0,
      };
    },
  },
  {
    target: 'switchyard',
    goal: '2,000 streams: frame delivery delay ≤ 5 ms added p99 over direct',
    evaluate: atMost((_, ratios) => ratios.addedFrameDelay?.p99, 5, ' ms'),
  },
  {
    target: 'switchyard-next',
    goal: 'pnpm start: peak RSS ≤ 350 MiB',
    evaluate: atMost((summary) => summary.peakRssMiB, 350, ' MiB', 1),
  },
  {
    target: 'switchyard-next',
    goal: "pnpm start: CPU per request ≤ 1.1× the standalone gateway's",
    evaluate: atMost((_, ratios) => ratios.cpuOverStandalone, 1.1, '×'),
  },
];

/** Every goal of a target that was measured; its figures may still be missing (not measured). */
export function checkTargets(summary: Summaries, ratios: Ratios): Check[] {
  const checks: Check[] = [];
  for (const goal of GOALS) {
    const figures = summary[goal.target];
    const ratio = ratios[goal.target];
    if (!figures || !ratio) continue;
    checks.push({ target: goal.target, goal: goal.goal, ...goal.evaluate(figures, ratio) });
  }
  return checks;
}

/** How a check reads in the table. */
export function verdict(check: Pick<Check, 'pass'>): string {
  return check.pass === null ? 'not measured' : check.pass ? 'met' : '**not met**';
}
