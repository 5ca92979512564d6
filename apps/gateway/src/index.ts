// @switchyard/gateway: the standalone server around the shared gateway runtime.
export * from './server.ts';
