// The shared HTTP layer of every adapter.
export * from './classify-status.ts';
export * from './http-client.ts';
export * from './retry-after.ts';
export * from './sse.ts';
