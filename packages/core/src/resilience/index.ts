// Resilience: circuit breakers and provider health.
export * from './circuit-breakers.ts';
export * from './health-monitor.ts';
