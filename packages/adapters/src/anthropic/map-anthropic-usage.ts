// Anthropic usage -> unified usage. Anthropic's `input_tokens` leaves out the cached parts of the
// prompt; the unified (OpenAI-style) prompt count includes them and reports cache reads apart.
import { makeUsage, type Usage } from '@switchyard/core';
import type { AnthropicUsage } from './anthropic-api.ts';

export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens;
  const inputTokens =
    (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (usage.cache_creation_input_tokens ?? 0);
  return makeUsage(
    inputTokens,
    usage.output_tokens ?? 0,
    cacheRead === undefined ? undefined : { cachedInputTokens: cacheRead },
  );
}
