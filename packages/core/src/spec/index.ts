// The contract between core, adapters and apps: request/response/stream types and errors.
export * from './chat-request.ts';
export * from './chat-response.ts';
export * from './error-policy.ts';
export * from './errors.ts';
export * from './openai-chunk.ts';
export * from './provider-adapter.ts';
export * from './provider-health.ts';
export * from './provider-definition.ts';
export * from './safe-json.ts';
export * from './stream-events.ts';
export * from './validation.ts';
