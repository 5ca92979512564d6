// Mock vendor servers for tests and benchmarks.
export * from './mock-server.ts';
export * from './mock-tools.ts';
export * from './gemini-mock.ts';
export * from './cohere-mock.ts';
export * from './custom-mock.ts';
export * from './openai-mock.ts';
export * from './openai-schema.ts';
export * from './anthropic-mock.ts';
export * from './bedrock-mock.ts';
export * from './bedrock-sigv4-verifier.ts';
export * from './cohere-schema.ts';
export * from './event-stream-frame.ts';
export * from './openai-responses-schema.ts';
export * from './openai-responses-mock.ts';
// Embeddings endpoints and their deterministic vectors.
export * from './mock-embedding.ts';
export * from './openai-embeddings-mock.ts';
export * from './gemini-embeddings-mock.ts';
export * from './cohere-embeddings-mock.ts';
export * from './bedrock-embeddings-mock.ts';
export * from './openai-completions-mock.ts';
export * from './redis-server.ts';
