// A 2xx Messages API body -> the unified ChatResponse: text blocks joined, `tool_use` blocks as
// tool calls, thinking blocks (with their signatures) as reasoning parts, stop reason and usage.
import type { ChatResponse, ReasoningPart, ToolCall } from '@switchyard/core';
import { CLAUDE_REASONING, protocolError, singleChoice } from '../shared/index.ts';
import { readAnthropicMessage } from './anthropic-api.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

export function mapAnthropicResponse(
  body: unknown,
  model: string,
  context: { provider: string },
): ChatResponse {
  const message = readAnthropicMessage(body);
  if (!message)
    throw protocolError(
      context.provider,
      'Anthropic answered 200 with a body that is not a message',
    );
  let text = '';
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && block.text) text += block.text;
    else if (block.type === 'thinking')
      reasoning.push({
        text: block.thinking ?? '',
        ...(block.signature ? { signature: block.signature, origin: CLAUDE_REASONING } : {}),
      });
    else if (block.type === 'redacted_thinking' && block.data !== undefined)
      reasoning.push({ text: '', encrypted: block.data, origin: CLAUDE_REASONING });
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? '',
        type: 'function',
        function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const choice = singleChoice(text, toolCalls, mapAnthropicFinishReason(message.stop_reason));
  if (reasoning.length > 0) choice.message.reasoning = reasoning;
  return {
    id: message.id,
    created: Math.floor(Date.now() / 1000),
    model: message.model || model,
    choices: [choice],
    usage: mapAnthropicUsage(message.usage),
  };
}
