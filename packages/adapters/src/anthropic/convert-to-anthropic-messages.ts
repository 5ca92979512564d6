// OpenAI-style messages -> Anthropic `system` + `messages`: system/developer messages move to the
// top-level `system`, tool results become `tool_result` blocks in a user turn, assistant tool calls
// become `tool_use` blocks, and consecutive turns of one role are merged (Anthropic requires
// alternating roles).
import { messageText, parseJsonSafe, type ChatMessage, type ContentPart } from '@switchyard/core';
import {
  isRecord,
  type AnthropicRequestBlock,
  type AnthropicRequestMessage,
} from './anthropic-api.ts';
import { invalidRequest, unsupportedParameter } from './anthropic-error.ts';

export interface AnthropicPrompt {
  system: { type: 'text'; text: string }[];
  messages: AnthropicRequestMessage[];
}

const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const HTTP_URL = /^https?:\/\//i;

export function convertToAnthropicMessages(
  messages: readonly ChatMessage[],
  provider: string,
): AnthropicPrompt {
  const prompt: AnthropicPrompt = { system: [], messages: [] };
  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = messageText(message.content);
        if (text.length > 0) prompt.system.push({ type: 'text', text });
        break;
      }
      case 'user':
        appendTurn(prompt.messages, 'user', userBlocks(message.content, at, provider));
        break;
      case 'assistant':
        appendTurn(prompt.messages, 'assistant', assistantBlocks(message, at, provider));
        break;
      case 'tool':
        appendTurn(prompt.messages, 'user', [
          {
            type: 'tool_result',
            tool_use_id: message.tool_call_id,
            content: messageText(message.content),
          },
        ]);
        break;
      case 'function':
        throw unsupportedParameter(provider, `${at}.role`, 'legacy function messages; use tools');
    }
  });
  return prompt;
}

function appendTurn(
  turns: AnthropicRequestMessage[],
  role: 'user' | 'assistant',
  blocks: AnthropicRequestBlock[],
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
): AnthropicRequestBlock[] {
  if (typeof content === 'string')
    return content.length > 0 ? [{ type: 'text', text: content }] : [];
  const blocks: AnthropicRequestBlock[] = [];
  content.forEach((part, index) => {
    const partAt = `${at}.content[${index}]`;
    switch (part.type) {
      case 'text':
        if (part.text.length > 0) blocks.push({ type: 'text', text: part.text });
        break;
      case 'image_url':
        blocks.push(imageBlock(part.image_url.url, `${partAt}.image_url.url`, provider));
        break;
      case 'file':
        blocks.push(documentBlock(part.file.file_data, `${partAt}.file`, provider));
        break;
      case 'input_audio':
        throw unsupportedParameter(provider, `${partAt}.input_audio`, 'audio input');
      case 'refusal':
        throw invalidRequest(provider, partAt, 'refusal parts belong to assistant messages');
    }
  });
  return blocks;
}

function assistantBlocks(
  message: Extract<ChatMessage, { role: 'assistant' }>,
  at: string,
  provider: string,
): AnthropicRequestBlock[] {
  if (message.function_call)
    throw unsupportedParameter(
      provider,
      `${at}.function_call`,
      'legacy function calls; use tool_calls',
    );
  const blocks: AnthropicRequestBlock[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content.length > 0) blocks.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part, index) => {
      if (part.type === 'text' && part.text.length > 0)
        blocks.push({ type: 'text', text: part.text });
      else if (part.type === 'refusal' && part.refusal.length > 0)
        blocks.push({ type: 'text', text: part.refusal });
      else if (part.type !== 'text' && part.type !== 'refusal')
        throw unsupportedParameter(
          provider,
          `${at}.content[${index}]`,
          `${part.type} parts in assistant messages`,
        );
    });
  }
  message.tool_calls?.forEach((call, index) => {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: toolInput(
        call.function.arguments,
        `${at}.tool_calls[${index}].function.arguments`,
        provider,
      ),
    });
  });
  return blocks;
}

/** Tool-call arguments as the JSON object Anthropic wants; an empty string means no arguments. */
function toolInput(argumentsText: string, at: string, provider: string): Record<string, unknown> {
  if (argumentsText.trim().length === 0) return {};
  const parsed = parseJsonSafe(argumentsText);
  if (!isRecord(parsed)) throw invalidRequest(provider, at, `${at} must be a JSON object`);
  return parsed;
}

interface DataUrl {
  mediaType: string;
  data: string;
}

/** A base64 `data:` URL's media type and payload; undefined for anything else. */
export function parseBase64DataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma === -1) return undefined;
  const meta = url.slice(5, comma).split(';');
  if (!meta.slice(1).some((parameter) => parameter.toLowerCase() === 'base64')) return undefined;
  return { mediaType: (meta[0] ?? '').toLowerCase(), data: url.slice(comma + 1) };
}

function imageBlock(url: string, at: string, provider: string): AnthropicRequestBlock {
  if (HTTP_URL.test(url)) return { type: 'image', source: { type: 'url', url } };
  const dataUrl = parseBase64DataUrl(url);
  if (!dataUrl)
    throw invalidRequest(provider, at, `${at} must be an http(s) URL or a base64 data: URL`);
  if (!IMAGE_MEDIA_TYPES.has(dataUrl.mediaType))
    throw unsupportedParameter(provider, at, `image type ${dataUrl.mediaType || 'unknown'}`);
  return {
    type: 'image',
    source: { type: 'base64', media_type: dataUrl.mediaType, data: dataUrl.data },
  };
}

function documentBlock(
  fileData: string | undefined,
  at: string,
  provider: string,
): AnthropicRequestBlock {
  const dataUrl = fileData === undefined ? undefined : parseBase64DataUrl(fileData);
  if (dataUrl?.mediaType !== 'application/pdf')
    throw unsupportedParameter(provider, at, 'files other than base64 PDF data: URLs');
  return {
    type: 'document',
    source: { type: 'base64', media_type: 'application/pdf', data: dataUrl.data },
  };
}
