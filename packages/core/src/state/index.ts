// Shared state: the StateStore contract and its in-memory implementation.
export * from './memory-state-store.ts';
export * from './state-store.ts';
