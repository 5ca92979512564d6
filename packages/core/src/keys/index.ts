export * from './api-key.ts';
export * from './key-ring.ts';
