// OpenAI-style messages -> a system prompt plus alternating user/assistant turns, the shape that
// Anthropic's Messages API and Bedrock's Converse share: system/developer messages move to
// `system`, tool results join the user turn, assistant tool calls become tool-use blocks, and
// consecutive turns of one role are merged. The vendor supplies how each block is written.
import {
  messageText,
  parseJsonSafe,
  type ChatMessage,
  type ContentPart,
  type ReasoningPart,
  type ToolCall,
} from '@switchyard/core';
import { isJsonObject } from './json.ts';
import { invalidRequest, unsupportedParameter, type VendorLabel } from './request-errors.ts';

type FilePart = Extract<ContentPart, { type: 'file' }>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** How a vendor writes each kind of block; `image` and `file` throw for what it cannot take. */
export interface TurnBlocks<Block> {
  text(text: string): Block;
  image(url: string, at: string): Block;
  file(part: FilePart, at: string): Block;
  toolUse(call: ToolCall, input: Record<string, unknown>): Block;
  toolResult(toolCallId: string, text: string): Block;
  /** The blocks of an assistant turn's reasoning the vendor takes back (first in the turn). */
  reasoning?(parts: readonly ReasoningPart[] | undefined): Block[];
}

export interface Turn<Block> {
  role: 'user' | 'assistant';
  content: Block[];
}

export interface Turns<Block> {
  system: string[];
  messages: Turn<Block>[];
  /** True when the history holds tool calls or results. */
  hasToolHistory: boolean;
}

export function convertToTurns<Block>(
  messages: readonly ChatMessage[],
  source: VendorLabel,
  blocks: TurnBlocks<Block>,
): Turns<Block> {
  const turns: Turns<Block> = { system: [], messages: [], hasToolHistory: false };
  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = messageText(message.content);
        if (text.length > 0) turns.system.push(text);
        break;
      }
      case 'user':
        appendTurn(turns.messages, 'user', userBlocks(message.content, at, source, blocks));
        break;
      case 'assistant':
        if (message.tool_calls?.length) turns.hasToolHistory = true;
        appendTurn(turns.messages, 'assistant', assistantBlocks(message, at, source, blocks));
        break;
      case 'tool':
        turns.hasToolHistory = true;
        appendTurn(turns.messages, 'user', [
          blocks.toolResult(message.tool_call_id, messageText(message.content)),
        ]);
        break;
      case 'function':
        throw unsupportedParameter(source, `${at}.role`, 'legacy function messages; use tools');
    }
  });
  return turns;
}

function appendTurn<Block>(
  turns: Turn<Block>[],
  role: Turn<Block>['role'],
  content: Block[],
): void {
  if (content.length === 0) return;
  const last = turns[turns.length - 1];
  if (last?.role === role) last.content.push(...content);
  else turns.push({ role, content });
}

function userBlocks<Block>(
  content: string | ContentPart[],
  at: string,
  source: VendorLabel,
  blocks: TurnBlocks<Block>,
): Block[] {
  if (typeof content === 'string') return content.length > 0 ? [blocks.text(content)] : [];
  const result: Block[] = [];
  content.forEach((part, index) => {
    const partAt = `${at}.content[${index}]`;
    switch (part.type) {
      case 'text':
        if (part.text.length > 0) result.push(blocks.text(part.text));
        break;
      case 'image_url':
        result.push(blocks.image(part.image_url.url, `${partAt}.image_url.url`));
        break;
      case 'file':
        result.push(blocks.file(part, `${partAt}.file`));
        break;
      case 'input_audio':
        throw unsupportedParameter(source, `${partAt}.input_audio`, 'audio input');
      case 'refusal':
        throw invalidRequest(source.provider, partAt, 'refusal parts belong to assistant messages');
    }
  });
  return result;
}

function assistantBlocks<Block>(
  message: AssistantMessage,
  at: string,
  source: VendorLabel,
  blocks: TurnBlocks<Block>,
): Block[] {
  if (message.function_call)
    throw unsupportedParameter(
      source,
      `${at}.function_call`,
      'legacy function calls; use tool_calls',
    );
  // Reasoning comes first: a signed thinking block must open the turn whose tool use it led to.
  const result: Block[] = blocks.reasoning?.(message.reasoning) ?? [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content.length > 0) result.push(blocks.text(content));
  } else if (Array.isArray(content)) {
    content.forEach((part, index) => {
      if (part.type === 'text' && part.text.length > 0) result.push(blocks.text(part.text));
      else if (part.type === 'refusal' && part.refusal.length > 0)
        result.push(blocks.text(part.refusal));
      else if (part.type !== 'text' && part.type !== 'refusal')
        throw unsupportedParameter(
          source,
          `${at}.content[${index}]`,
          `${part.type} parts in assistant messages`,
        );
    });
  }
  message.tool_calls?.forEach((call, index) => {
    const argumentsAt = `${at}.tool_calls[${index}].function.arguments`;
    result.push(blocks.toolUse(call, toolInput(call.function.arguments, argumentsAt, source)));
  });
  return result;
}

/** Tool-call arguments as the JSON object both APIs want; an empty string means no arguments. */
function toolInput(
  argumentsText: string,
  at: string,
  source: VendorLabel,
): Record<string, unknown> {
  if (argumentsText.trim().length === 0) return {};
  const parsed = parseJsonSafe(argumentsText);
  if (!isJsonObject(parsed))
    throw invalidRequest(source.provider, at, `${at} must be a JSON object`);
  return parsed;
}
