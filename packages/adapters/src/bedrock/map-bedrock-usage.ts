// Bedrock TokenUsage -> unified usage, with cache reads and writes reported apart. For models with
// prompt caching Bedrock counts the cached parts outside `inputTokens` (and inside `totalTokens`);
// the unified prompt count includes them, so they are added back when the total says so.
import type { Usage } from '@switchyard/core';
import type { BedrockTokenUsage } from './bedrock-api.ts';

export function mapBedrockUsage(usage: BedrockTokenUsage): Usage {
  const outputTokens = usage.outputTokens ?? 0;
  const cacheRead = usage.cacheReadInputTokens;
  const cacheWrite = usage.cacheWriteInputTokens;
  const cached = (cacheRead ?? 0) + (cacheWrite ?? 0);
  const reported = usage.inputTokens ?? 0;
  const excludesCache =
    cached > 0 &&
    (usage.totalTokens === undefined || usage.totalTokens >= reported + outputTokens + cached);
  const inputTokens = excludesCache ? reported + cached : reported;
  const result: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokens ?? inputTokens + outputTokens,
  };
  if (cacheRead !== undefined) result.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteInputTokens = cacheWrite;
  return result;
}
