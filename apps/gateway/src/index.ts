// @switchyard/gateway: the gateway runtime (shared with the dashboard) and the standalone server.
export * from './request-log-writer.ts';
export * from './runtime.ts';
export * from './server.ts';
