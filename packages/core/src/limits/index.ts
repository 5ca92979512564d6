// Limits: per-provider and per-key quotas over rolling one-minute windows, decided for the whole
// fleet by a SharedQuota in multi-instance mode.
export { KeyLimiter } from './key-limiter.ts';
export { LIMIT_WINDOW_MS, type LimitDecision } from './minute-usage.ts';
export {
  ProviderLimiter,
  type LimiterOptions,
  type ProviderAcquireResult,
} from './provider-limiter.ts';
export { UsageWindow, type UsageHandle, type UsageWindowOptions } from './usage-window.ts';
