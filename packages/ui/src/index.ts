// @switchyard/ui: React components for Switchyard. Presentational only — data and actions come in
// through props, so the dashboard wires them to tRPC and other apps to their own API.
// Import the styles once: `import '@switchyard/ui/styles.css'`.
export type {
  ActionResult,
  DiscoveredModel,
  HealthVerdict,
  InferenceProviderChoice,
  ModelView,
  ProviderHealthSummary,
  ProviderTemplateField,
  ProviderTemplateView,
  ProviderTestSummary,
  ProviderView,
} from './types.ts';
export { formatCount, formatLatency, formatRelativeTime, formatUsd } from './format.ts';
export {
  DEGRADED_LATENCY_MS,
  deriveHealthStatus,
  HEALTH_LABELS,
  toHealthSummary,
  type RawProviderHealth,
  type RawProviderHealthEntry,
} from './health-status.ts';
export { ConfirmButton, type ConfirmButtonProps } from './confirm-button.tsx';
export { HealthBadge, type HealthBadgeProps } from './health-badge.tsx';
export { HealthGrid, type HealthGridProps } from './health-grid.tsx';
export {
  describeCircuit,
  formatTimeUntil,
  HealthHistoryStrip,
  ProviderStatusTable,
  type CircuitView,
  type HealthCheckView,
  type LastErrorView,
  type ModelStatusView,
  type ProviderStatusTableProps,
  type ProviderStatusView,
} from './provider-status-table.tsx';
export {
  extentOf,
  isolatedPoints,
  linearScale,
  linePath,
  nearestIndex,
  niceTicks,
  timeTicks,
  type Extent,
  type Point,
} from './charts/chart-scale.ts';
export {
  formatClock,
  TimeSeriesChart,
  type ChartSeries,
  type TimeSeriesChartProps,
} from './charts/time-series-chart.tsx';
export {
  emptyModelRow,
  initialValues,
  isJsonField,
  slugify,
  toProviderInput,
  type FieldErrors,
  type ModelRowValues,
  type ProviderFormValues,
} from './provider-form-values.ts';
export { ProviderForm, type ProviderFormProps } from './provider-form.tsx';
export {
  CloudProviderManager,
  ProviderManager,
  type CloudProviderManagerProps,
  type ProviderManagerProps,
} from './provider-manager.tsx';
export {
  InferenceProviderSelector,
  type InferenceProviderSelectorProps,
  type SelectorHealth,
} from './inference-provider-selector.tsx';
