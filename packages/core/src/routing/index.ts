// Routing: route resolution, strategies, attempts with retries and fallback.
export * from './backoff.ts';
export * from './router.ts';
export * from './routing-table.ts';
export * from './strategies.ts';
export * from './to-upstream-error.ts';
export * from './usage-estimate.ts';
