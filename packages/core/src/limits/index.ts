// Limits: per-provider and per-key quotas over rolling one-minute windows.
export * from './key-limiter.ts';
export * from './provider-limiter.ts';
export * from './usage-window.ts';
