// OpenAI chat messages → Cohere v2 messages. The shapes are close: system/user/assistant/tool
// roles, tool calls with JSON-string arguments, images as `image_url` blocks (data: and web URLs).
import { messageText, type ChatMessage, type ContentPart } from '@switchyard/core';
import type { CohereContentBlock, CohereMessage, CohereToolCall } from './cohere-api.ts';
import { unsupportedParameter } from '../shared/index.ts';

export function convertToCohereMessages(
  messages: readonly ChatMessage[],
  provider: string,
): CohereMessage[] {
  const result: CohereMessage[] = [];
  // legacy `function_call` turns carry no id; their results refer to the latest one
  let legacyCallId: string | undefined;
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        result.push({ role: 'system', content: messageText(message.content) });
        break;
      case 'user':
        result.push({
          role: 'user',
          content: userContent(message.content, `messages[${index}].content`, provider),
        });
        break;
      case 'assistant': {
        const text = messageText(message.content);
        const toolCalls: CohereToolCall[] = (message.tool_calls ?? []).map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.function.name, arguments: call.function.arguments },
        }));
        if (message.function_call) {
          legacyCallId = `function_call_${index}`;
          toolCalls.push({ id: legacyCallId, type: 'function', function: message.function_call });
        }
        if (!text && toolCalls.length === 0) break;
        result.push({
          role: 'assistant',
          ...(text ? { content: text } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        });
        break;
      }
      case 'tool':
        result.push({
          role: 'tool',
          tool_call_id: message.tool_call_id,
          content: messageText(message.content),
        });
        break;
      case 'function':
        result.push({
          role: 'tool',
          tool_call_id: legacyCallId ?? `function_call_${message.name}`,
          content: message.content ?? '',
        });
        break;
    }
  });
  return result;
}

function userContent(
  content: string | ContentPart[],
  param: string,
  provider: string,
): string | CohereContentBlock[] {
  if (typeof content === 'string') return content;
  return content.map((part, index): CohereContentBlock => {
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'refusal':
        return { type: 'text', text: part.refusal };
      case 'image_url':
        return {
          type: 'image_url',
          image_url: {
            url: part.image_url.url,
            ...(part.image_url.detail ? { detail: part.image_url.detail } : {}),
          },
        };
      case 'input_audio':
        throw unsupportedParameter(
          { provider, vendor: 'Cohere' },
          `${param}[${index}]`,
          'audio input',
        );
      case 'file':
        throw unsupportedParameter(
          { provider, vendor: 'Cohere' },
          `${param}[${index}]`,
          'file input',
        );
    }
  });
}
