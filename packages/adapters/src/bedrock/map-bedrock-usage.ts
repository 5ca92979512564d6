// Bedrock TokenUsage -> unified usage (`inputTokens` is the prompt, `cacheReadInputTokens` the cached part).
import type { Usage } from '@switchyard/core';
import type { BedrockTokenUsage } from './bedrock-api.ts';

export function mapBedrockUsage(usage: BedrockTokenUsage): Usage {
  const inputTokens = usage.inputTokens ?? 0;
  const outputTokens = usage.outputTokens ?? 0;
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokens ?? inputTokens + outputTokens,
    ...(usage.cacheReadInputTokens === undefined
      ? {}
      : { cachedInputTokens: usage.cacheReadInputTokens }),
  };
}
