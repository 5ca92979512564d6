// The exact-match response cache and its streamed replay.
export * from './cache-key.ts';
export * from './replay-as-stream.ts';
export * from './response-cache.ts';
