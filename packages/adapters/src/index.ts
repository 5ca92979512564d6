// @switchyard/adapters: vendor adapters for Switchyard's core, and the shared HTTP layer.
export * from './http/index.ts';
export * from './registry.ts';
