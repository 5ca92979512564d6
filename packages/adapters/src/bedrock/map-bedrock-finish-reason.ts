// Bedrock `stopReason` -> the unified finish reason, keeping the raw value. Malformed model output
// maps to `error`: the adapter reports it as a failed attempt rather than a finished answer.
import type { FinishReason, UnifiedFinishReason } from '@switchyard/core';

const UNIFIED_BY_STOP_REASON: Readonly<Record<string, UnifiedFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
  malformed_model_output: 'error',
  malformed_tool_use: 'error',
};

export function mapBedrockFinishReason(stopReason: string | null | undefined): FinishReason {
  const raw = stopReason ?? null;
  return { unified: raw === null ? 'stop' : (UNIFIED_BY_STOP_REASON[raw] ?? 'other'), raw };
}
