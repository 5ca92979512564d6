// Finish reasons of arbitrary endpoints → unified ones, by the words vendors commonly use
// (OpenAI, Anthropic, Gemini, Cohere, TGI, llama.cpp …); anything else is `other`, raw kept.
import type { FinishReason, UnifiedFinishReason } from '@switchyard/core';

const FINISH_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  stop: 'stop',
  stopped: 'stop',
  end: 'stop',
  end_turn: 'stop',
  eos: 'stop',
  eos_token: 'stop',
  stop_sequence: 'stop',
  complete: 'stop',
  completed: 'stop',
  finished: 'stop',
  done: 'stop',
  length: 'length',
  max_tokens: 'length',
  max_new_tokens: 'length',
  max_length: 'length',
  token_limit: 'length',
  tool_calls: 'tool_calls',
  tool_use: 'tool_calls',
  tool_call: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  safety: 'content_filter',
  refusal: 'content_filter',
  blocked: 'content_filter',
  error: 'error',
};

/** `raw` undefined (no finish reason in the answer) reads as a normal stop. */
export function mapCustomFinishReason(raw: string | undefined): FinishReason {
  if (raw === undefined) return { unified: 'stop', raw: null };
  return { unified: FINISH_REASONS[raw.toLowerCase()] ?? 'other', raw };
}
