// @switchyard/core: the adapter contract, configuration, routing and the inference service.
export * from './spec/index.ts';
export * from './config/index.ts';
export * from './keys/index.ts';
export * from './util/clock.ts';
export * from './util/random.ts';
export * from './state/index.ts';
export * from './metrics/index.ts';
export * from './resilience/index.ts';
export * from './limits/index.ts';
export * from './cache/index.ts';
export * from './routing/index.ts';
export * from './service/index.ts';
export * from './entry/index.ts';
export * from './http/index.ts';
