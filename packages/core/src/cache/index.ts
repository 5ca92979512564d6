// The exact-match response cache, its streamed replay, and the per-request slot both modes use.
export * from './cache-key.ts';
export * from './cache-slot.ts';
export * from './replay-as-stream.ts';
export * from './response-cache.ts';
export * from './stream-collector.ts';
