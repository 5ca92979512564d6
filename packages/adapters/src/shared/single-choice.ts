// The one choice of vendors that answer with a single assistant message.
import type { ChatChoice, FinishReason, ToolCall } from '@switchyard/core';

/** Content is `null` when only tool calls came back, as OpenAI sends it. */
export function singleChoice(
  text: string,
  toolCalls: ToolCall[],
  finishReason: FinishReason,
): ChatChoice {
  return {
    index: 0,
    message: {
      role: 'assistant',
      content: text.length === 0 && toolCalls.length > 0 ? null : text,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    finishReason,
  };
}
