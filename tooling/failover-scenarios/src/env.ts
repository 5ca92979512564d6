// The one place this package reads the environment.

/**
 * How much real time one scenario second takes: 0.1 in `pnpm test` (fast), 1 in `test:full`
 * (the benchmark's own timings).
 */
export function timeScale(): number {
  const raw = process.env.FAILOVER_TIME_SCALE;
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : 0.1;
}
