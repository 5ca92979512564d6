// @switchyard/ui: React components for Switchyard. Presentational only — data and actions come in
// through props, so the dashboard wires them to tRPC and other apps to their own API.
// Import the styles once: `import '@switchyard/ui/styles.css'`.
export * from './types.ts';
export * from './format.ts';
export * from './health-status.ts';
export * from './health-badge.tsx';
export * from './health-grid.tsx';
export * from './charts/chart-scale.ts';
export * from './charts/time-series-chart.tsx';
export * from './provider-form-values.ts';
export * from './provider-form.tsx';
export * from './provider-manager.tsx';
export * from './inference-provider-selector.tsx';
