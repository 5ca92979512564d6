// Observability: typed gateway events and the Prometheus registry.
export * from './gateway-events.ts';
export * from './gateway-metrics.ts';
