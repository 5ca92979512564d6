// The gateway engine and the seed-compatible InferenceService.
export * from './gateway.ts';
export * from './inference-service.ts';
