// Cheap estimates made before a request is sent: prompt tokens (for limits, cost ordering and
// context-window fit) and the output budget. Roughly 4 characters per token, as vendors document.
import { messageText, requestedMaxTokens, type ChatRequest } from '../spec/chat-request.ts';
import type { Usage } from '../spec/chat-response.ts';
import type { ModelConfig } from '../config/config-schema.ts';

const CHARS_PER_TOKEN = 4;
/** Output tokens assumed when a request sets no limit. */
export const DEFAULT_OUTPUT_ESTIMATE = 256;

export function estimateInputTokens(request: ChatRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    characters += messageText(message.content).length + 8;
    if (message.role === 'assistant' && message.tool_calls) {
      for (const call of message.tool_calls)
        characters += call.function.arguments.length + call.function.name.length;
    }
  }
  if (request.tools) characters += JSON.stringify(request.tools).length;
  return Math.ceil(characters / CHARS_PER_TOKEN);
}

export function estimateOutputTokens(request: ChatRequest): number {
  return requestedMaxTokens(request) ?? DEFAULT_OUTPUT_ESTIMATE;
}

/** Cost in USD of a usage at a model's prices; undefined when the model has no prices. */
export function costOf(
  model: ModelConfig | undefined,
  usage: Usage | undefined,
): number | undefined {
  if (!model || !usage) return undefined;
  if (model.inputPricePerMTok === undefined && model.outputPricePerMTok === undefined)
    return undefined;
  return (
    (usage.inputTokens * (model.inputPricePerMTok ?? 0) +
      usage.outputTokens * (model.outputPricePerMTok ?? 0)) /
    1_000_000
  );
}
