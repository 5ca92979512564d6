// Gemini finish reasons → unified ones (wire-protocols.md §0.3). Gemini has no tool-call reason:
// a function call ends with STOP, so the caller says whether the candidate called a function.
import type { FinishReason, UnifiedFinishReason } from '@switchyard/core';

const FINISH_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  LANGUAGE: 'stop',
  OTHER: 'stop',
  NO_IMAGE: 'stop',
  IMAGE_OTHER: 'stop',
  FINISH_REASON_UNSPECIFIED: 'stop',
};

export function mapGeminiFinishReason(
  raw: string | undefined,
  calledFunction: boolean,
): FinishReason {
  if (raw === undefined) return { unified: calledFunction ? 'tool_calls' : 'stop', raw: null };
  const unified = FINISH_REASONS[raw] ?? 'other';
  return { unified: unified === 'stop' && calledFunction ? 'tool_calls' : unified, raw };
}

/** A prompt blocked before any candidate (`promptFeedback.blockReason`) is a content-filter finish. */
export function mapGeminiBlockReason(blockReason: string): FinishReason {
  return { unified: 'content_filter', raw: blockReason };
}
