// Observability: typed gateway events, the Prometheus registry, and request reporting.
export * from './gateway-events.ts';
export * from './gateway-metrics.ts';
export * from './request-reporter.ts';
