// @switchyard/adapters: vendor adapters for Switchyard's core, and the shared HTTP layer.
export * from './http/index.ts';
export * from './registry.ts';
export * from './gemini/index.ts';
export * from './cohere/index.ts';
export * from './custom/index.ts';
export * from './openai/index.ts';
export * from './azure/index.ts';
export * from './openai-compatible/index.ts';
export * from './anthropic/index.ts';
export * from './bedrock/index.ts';
