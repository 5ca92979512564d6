// Finish reasons of OpenAI-compatible answers as `{ unified, raw }`. OpenAI's own values are
// mapped by core (shared with the stream summaries); local servers add a few of their own.
import {
  mapOpenAIFinishReason as mapKnownFinishReason,
  type FinishReason,
  type UnifiedFinishReason,
} from '@switchyard/core';

/** vLLM reports `abort` / `error` when the engine dropped the request. */
const LOCAL_SERVER_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  abort: 'error',
  error: 'error',
};

export function mapOpenAICompatibleFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string' || raw.length === 0) return { unified: 'other', raw: null };
  const local = LOCAL_SERVER_REASONS[raw];
  if (local) return { unified: local, raw };
  return mapKnownFinishReason(raw) ?? { unified: 'other', raw };
}
