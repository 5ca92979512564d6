// The unified answer in the Messages API's shape: a `message` with thinking, text and tool_use
// blocks, the stop reason and Anthropic's usage (input tokens without the cached part, cache
// reads apart).
import type { ChatResponse, FinishReason, ReasoningPart, Usage } from '../../spec/chat-response.ts';
import { parseJsonSafe } from '../../spec/safe-json.ts';
import { clientRedactedData, clientSignature } from './messages-reasoning.ts';

const ANTHROPIC_STOP_REASONS = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
]);

export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type MessageBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/**
 * A reasoning part as a Messages block: withheld reasoning as `redacted_thinking`, the rest as
 * `thinking` (its signature empty when the vendor signs nothing, as the block requires one).
 */
export function thinkingBlock(part: ReasoningPart): MessageBlock {
  if (part.encrypted !== undefined && !part.text)
    return { type: 'redacted_thinking', data: clientRedactedData(part) };
  return { type: 'thinking', thinking: part.text, signature: clientSignature(part) };
}

export interface MessagesMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: MessageBlock[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: MessagesUsage;
}

/** Anthropic's stop reason for a unified finish (the vendor's own value when it is one). */
export function toStopReason(reason: FinishReason | undefined): string {
  if (!reason) return 'end_turn';
  if (reason.raw !== null && ANTHROPIC_STOP_REASONS.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export function toMessagesUsage(usage: Usage | undefined): MessagesUsage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const cached = usage.cachedInputTokens;
  const written = usage.cacheWriteInputTokens;
  return {
    input_tokens: Math.max(0, usage.inputTokens - (cached ?? 0) - (written ?? 0)),
    output_tokens: usage.outputTokens,
    ...(written !== undefined ? { cache_creation_input_tokens: written } : {}),
    ...(cached !== undefined ? { cache_read_input_tokens: cached } : {}),
  };
}

/** An id in Anthropic's style for answers whose vendor id has another shape. */
export function messageId(id: string, requestId: string): string {
  return id.startsWith('msg_') ? id : `msg_${id || requestId}`;
}

export function chatToMessage(
  response: ChatResponse,
  model: string,
  requestId: string,
): MessagesMessage {
  const choice = response.choices[0];
  const content: MessageBlock[] = (choice?.message.reasoning ?? []).map(thinkingBlock);
  const text = choice?.message.content;
  if (text) content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? [])
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseJsonSafe(call.function.arguments) ?? {},
    });
  return {
    id: messageId(response.id, requestId),
    type: 'message',
    role: 'assistant',
    model: response.model || model,
    content,
    stop_reason: toStopReason(choice?.finishReason),
    stop_sequence: null,
    usage: toMessagesUsage(response.usage),
  };
}
