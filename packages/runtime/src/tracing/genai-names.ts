// Names from the OpenTelemetry GenAI semantic conventions (still in development upstream, so
// copied here rather than imported from the incubating entry point, as that project advises).

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  requestChoiceCount: 'gen_ai.request.choice.count',
  embeddingsDimensionCount: 'gen_ai.embeddings.dimension.count',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
} as const;

/** Switchyard's own attributes beside the conventions'. */
export const SWITCHYARD = {
  requestId: 'switchyard.request_id',
  route: 'switchyard.route',
  cache: 'switchyard.cache',
  attempt: 'switchyard.attempt',
  provider: 'switchyard.provider',
  fallbackReason: 'switchyard.fallback_reason',
  timeToFirstTokenMs: 'switchyard.time_to_first_token_ms',
} as const;

/**
 * The conventions' well-known `gen_ai.provider.name` for a provider type; any other type (a local
 * server, a custom endpoint) is named by its type, as the conventions ask for unlisted providers.
 */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'openai',
  azure: 'azure.ai.openai',
  anthropic: 'anthropic',
  aws: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  gcp: 'gcp.gemini',
  gemini: 'gcp.gemini',
  cohere: 'cohere',
};

export function genAIProviderName(providerType: string): string {
  return PROVIDER_NAMES[providerType] ?? providerType;
}
