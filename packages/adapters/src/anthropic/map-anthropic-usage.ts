// Anthropic usage -> unified usage. Anthropic's `input_tokens` leaves out the cached parts of the
// prompt; the unified (OpenAI-style) prompt count includes them and reports cache reads and cache
// writes apart, so each is billed at its own price.
import { makeUsage, type Usage } from '@switchyard/core';
import type { AnthropicUsage } from './anthropic-api.ts';

export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens;
  const cacheWrite = usage.cache_creation_input_tokens;
  const inputTokens = (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const extra: Partial<Usage> = {};
  if (cacheRead !== undefined) extra.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) extra.cacheWriteInputTokens = cacheWrite;
  return makeUsage(inputTokens, usage.output_tokens ?? 0, extra);
}
