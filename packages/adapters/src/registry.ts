// Every vendor this package knows, as provider definitions. A new vendor is its folder plus one
// line here; an OpenAI-compatible server is one preset row.
import type { ProviderRegistry } from '@switchyard/core';
import { anthropicDefinition } from './anthropic/anthropic-definition.ts';
import { azureDefinition } from './azure/azure-definition.ts';
import { bedrockDefinition } from './bedrock/bedrock-definition.ts';
import { cohereDefinition } from './cohere/cohere-definition.ts';
import { customDefinition } from './custom/custom-definition.ts';
import { geminiDefinition } from './gemini/gemini-definition.ts';
import { openAICompatibleDefinitions } from './openai-compatible/openai-compatible-definition.ts';
import { openAIDefinition } from './openai/openai-definition.ts';

/** The seed's types come first: openai, azure, aws, gcp, custom. */
export const defaultDefinitions: ProviderRegistry = [
  openAIDefinition,
  azureDefinition,
  bedrockDefinition,
  geminiDefinition,
  customDefinition,
  anthropicDefinition,
  cohereDefinition,
  ...openAICompatibleDefinitions,
];

/** What `createInferenceService({ config, adapters: defaultAdapters })` takes: the definitions. */
export const defaultAdapters: ProviderRegistry = defaultDefinitions;
