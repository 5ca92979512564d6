// Cheap estimates made before a request is sent: prompt tokens (for limits, cost ordering and
// context-window fit) and the output budget. Roughly 4 characters per token, as vendors document.
import { messageText, requestedMaxTokens, type ChatRequest } from '../spec/chat-request.ts';

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
