// Shared state: the StateStore and SharedQuota contracts and the in-memory StateStore.
export * from './memory-state-store.ts';
export * from './state-store.ts';
export * from './shared-quota.ts';
