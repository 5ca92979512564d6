// Adapter factories by provider type. Aliases (aws/bedrock, gcp/gemini, the local presets)
// point at the same implementation with different defaults.
import type { AdapterRegistry } from '@switchyard/core';
import { createCohereAdapter } from './cohere/index.ts';
import { createCustomAdapter } from './custom/index.ts';
import { createGeminiAdapter } from './gemini/index.ts';
import { createOpenAIAdapter } from './openai/index.ts';
import { createAzureAdapter } from './azure/index.ts';
import { createOpenAICompatibleAdapter } from './openai-compatible/index.ts';
import { createAnthropicAdapter } from './anthropic/index.ts';
import { createBedrockAdapter } from './bedrock/index.ts';

export const defaultAdapters: AdapterRegistry = {
  gcp: createGeminiAdapter,
  gemini: createGeminiAdapter,
  cohere: createCohereAdapter,
  custom: createCustomAdapter,
  openai: createOpenAIAdapter,
  azure: createAzureAdapter,
  lmstudio: createOpenAICompatibleAdapter,
  ollama: createOpenAICompatibleAdapter,
  vllm: createOpenAICompatibleAdapter,
  localai: createOpenAICompatibleAdapter,
  'openai-compatible': createOpenAICompatibleAdapter,
  anthropic: createAnthropicAdapter,
  aws: createBedrockAdapter,
  bedrock: createBedrockAdapter,
};
