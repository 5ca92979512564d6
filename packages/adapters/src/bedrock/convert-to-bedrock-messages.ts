// OpenAI-style messages -> Converse `system` + `messages`: system/developer messages become
// `system` blocks, tool results become `toolResult` blocks in a user turn, assistant tool calls
// become `toolUse` blocks, images become inline bytes, and consecutive turns of one role are merged
// (Converse wants alternating user/assistant turns).
import { messageText, parseJsonSafe, type ChatMessage, type ContentPart } from '@switchyard/core';
import {
  isRecord,
  type BedrockContentBlock,
  type BedrockImageFormat,
  type BedrockMessage,
} from './bedrock-api.ts';
import { bedrockInvalidRequest, bedrockUnsupportedParameter } from './bedrock-error.ts';

export interface BedrockPrompt {
  system: { text: string }[];
  messages: BedrockMessage[];
  /** True when the history holds tool calls or results (Converse then needs a toolConfig). */
  hasToolHistory: boolean;
}

const IMAGE_FORMATS: Readonly<Record<string, BedrockImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const HTTP_URL = /^https?:\/\//i;

export function convertToBedrockMessages(
  messages: readonly ChatMessage[],
  provider: string,
): BedrockPrompt {
  const prompt: BedrockPrompt = { system: [], messages: [], hasToolHistory: false };
  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = messageText(message.content);
        if (text.length > 0) prompt.system.push({ text });
        break;
      }
      case 'user':
        appendTurn(prompt.messages, 'user', userBlocks(message.content, at, provider));
        break;
      case 'assistant': {
        const blocks = assistantBlocks(message, at, provider);
        if (message.tool_calls?.length) prompt.hasToolHistory = true;
        appendTurn(prompt.messages, 'assistant', blocks);
        break;
      }
      case 'tool':
        prompt.hasToolHistory = true;
        appendTurn(prompt.messages, 'user', [
          {
            toolResult: {
              toolUseId: message.tool_call_id,
              content: [{ text: messageText(message.content) }],
            },
          },
        ]);
        break;
      case 'function':
        throw bedrockUnsupportedParameter(
          provider,
          `${at}.role`,
          'legacy function messages; use tools',
        );
    }
  });
  return prompt;
}

function appendTurn(
  turns: BedrockMessage[],
  role: 'user' | 'assistant',
  blocks: BedrockContentBlock[],
): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function userBlocks(
  content: string | ContentPart[],
  at: string,
  provider: string,
): BedrockContentBlock[] {
  if (typeof content === 'string') return content.length > 0 ? [{ text: content }] : [];
  const blocks: BedrockContentBlock[] = [];
  content.forEach((part, index) => {
    const partAt = `${at}.content[${index}]`;
    switch (part.type) {
      case 'text':
        if (part.text.length > 0) blocks.push({ text: part.text });
        break;
      case 'image_url':
        blocks.push(imageBlock(part.image_url.url, `${partAt}.image_url.url`, provider));
        break;
      case 'input_audio':
        throw bedrockUnsupportedParameter(provider, `${partAt}.input_audio`, 'audio input');
      case 'file':
        throw bedrockUnsupportedParameter(provider, `${partAt}.file`, 'file parts');
      case 'refusal':
        throw bedrockInvalidRequest(provider, partAt, 'refusal parts belong to assistant messages');
    }
  });
  return blocks;
}

function assistantBlocks(
  message: Extract<ChatMessage, { role: 'assistant' }>,
  at: string,
  provider: string,
): BedrockContentBlock[] {
  if (message.function_call)
    throw bedrockUnsupportedParameter(
      provider,
      `${at}.function_call`,
      'legacy function calls; use tool_calls',
    );
  const blocks: BedrockContentBlock[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content.length > 0) blocks.push({ text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part, index) => {
      if (part.type === 'text' && part.text.length > 0) blocks.push({ text: part.text });
      else if (part.type === 'refusal' && part.refusal.length > 0)
        blocks.push({ text: part.refusal });
      else if (part.type !== 'text' && part.type !== 'refusal')
        throw bedrockUnsupportedParameter(
          provider,
          `${at}.content[${index}]`,
          `${part.type} parts in assistant messages`,
        );
    });
  }
  message.tool_calls?.forEach((call, index) => {
    blocks.push({
      toolUse: {
        toolUseId: call.id,
        name: call.function.name,
        input: toolInput(
          call.function.arguments,
          `${at}.tool_calls[${index}].function.arguments`,
          provider,
        ),
      },
    });
  });
  return blocks;
}

/** Tool-call arguments as the JSON object Converse wants; an empty string means no arguments. */
function toolInput(argumentsText: string, at: string, provider: string): Record<string, unknown> {
  if (argumentsText.trim().length === 0) return {};
  const parsed = parseJsonSafe(argumentsText);
  if (!isRecord(parsed)) throw bedrockInvalidRequest(provider, at, `${at} must be a JSON object`);
  return parsed;
}

function imageBlock(url: string, at: string, provider: string): BedrockContentBlock {
  if (HTTP_URL.test(url))
    throw bedrockUnsupportedParameter(
      provider,
      at,
      'image URLs; send the image as a base64 data: URL',
    );
  const comma = url.indexOf(',');
  const meta = url.startsWith('data:') && comma !== -1 ? url.slice(5, comma).split(';') : undefined;
  if (!meta?.slice(1).some((parameter) => parameter.toLowerCase() === 'base64')) {
    throw bedrockInvalidRequest(provider, at, `${at} must be a base64 data: URL`);
  }
  const mediaType = (meta[0] ?? '').toLowerCase();
  const format = IMAGE_FORMATS[mediaType];
  if (!format)
    throw bedrockUnsupportedParameter(provider, at, `image type ${mediaType || 'unknown'}`);
  return { image: { format, source: { bytes: url.slice(comma + 1) } } };
}
