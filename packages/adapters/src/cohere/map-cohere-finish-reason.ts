// Cohere finish reasons → unified ones (wire-protocols.md §0.3). ERROR and TIMEOUT are failed
// generations; the caller turns them into errors.
import type { FinishReason, UnifiedFinishReason } from '@switchyard/core';

const FINISH_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool_calls',
  ERROR: 'error',
  TIMEOUT: 'error',
};

export function mapCohereFinishReason(raw: string | undefined): FinishReason {
  if (raw === undefined) return { unified: 'stop', raw: null };
  return { unified: FINISH_REASONS[raw] ?? 'other', raw };
}
