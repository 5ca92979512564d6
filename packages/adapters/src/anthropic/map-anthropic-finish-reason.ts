// Anthropic `stop_reason` -> the unified finish reason, keeping the raw value.
import type { FinishReason, UnifiedFinishReason } from '@switchyard/core';

const UNIFIED_BY_STOP_REASON: Readonly<Record<string, UnifiedFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // a server-tool loop paused; the answer so far is complete and another call continues it
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  const raw = stopReason ?? null;
  return { unified: raw === null ? 'stop' : (UNIFIED_BY_STOP_REASON[raw] ?? 'other'), raw };
}
