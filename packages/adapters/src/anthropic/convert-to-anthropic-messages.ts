// OpenAI-style messages -> Anthropic `system` + `messages` (the shared turn walk): images as URL or
// base64 sources, PDFs as base64 documents, tool calls as `tool_use` and results as `tool_result`,
// and the signed reasoning of earlier turns as their thinking blocks (Claude's own signatures only).
import type { ChatMessage, ReasoningPart } from '@switchyard/core';
import {
  CLAUDE_REASONING,
  convertToTurns,
  invalidRequest,
  parseBase64DataUrl,
  signedReasoning,
  unsupportedParameter,
  type TurnBlocks,
  type VendorLabel,
} from '../shared/index.ts';
import type { AnthropicRequestBlock, AnthropicRequestMessage } from './anthropic-api.ts';

export interface AnthropicPrompt {
  system: { type: 'text'; text: string }[];
  messages: AnthropicRequestMessage[];
}

const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const HTTP_URL = /^https?:\/\//i;

function anthropicBlocks(source: VendorLabel): TurnBlocks<AnthropicRequestBlock> {
  return {
    text: (text) => ({ type: 'text', text }),
    image: (url, at) => imageBlock(url, at, source),
    file: (part, at) => documentBlock(part.file.file_data, at, source),
    toolUse: (call, input) => ({ type: 'tool_use', id: call.id, name: call.function.name, input }),
    toolResult: (toolCallId, text) => ({
      type: 'tool_result',
      tool_use_id: toolCallId,
      content: text,
    }),
    reasoning: (parts) => signedReasoning(parts, CLAUDE_REASONING).map(thinkingBlock),
  };
}

/** A signed part as Anthropic's thinking block; withheld reasoning as redacted_thinking. */
function thinkingBlock(part: ReasoningPart): AnthropicRequestBlock {
  if (part.encrypted !== undefined) return { type: 'redacted_thinking', data: part.encrypted };
  return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
}

export function convertToAnthropicMessages(
  messages: readonly ChatMessage[],
  provider: string,
): AnthropicPrompt {
  const source = { provider, vendor: 'Anthropic' };
  const turns = convertToTurns(messages, source, anthropicBlocks(source));
  return {
    system: turns.system.map((text) => ({ type: 'text', text })),
    messages: turns.messages,
  };
}

function imageBlock(url: string, at: string, source: VendorLabel): AnthropicRequestBlock {
  if (HTTP_URL.test(url)) return { type: 'image', source: { type: 'url', url } };
  const dataUrl = parseBase64DataUrl(url);
  if (!dataUrl)
    throw invalidRequest(source.provider, at, `${at} must be an http(s) URL or a base64 data: URL`);
  if (!IMAGE_MEDIA_TYPES.has(dataUrl.mediaType))
    throw unsupportedParameter(source, at, `image type ${dataUrl.mediaType || 'unknown'}`);
  return {
    type: 'image',
    source: { type: 'base64', media_type: dataUrl.mediaType, data: dataUrl.data },
  };
}

function documentBlock(
  fileData: string | undefined,
  at: string,
  source: VendorLabel,
): AnthropicRequestBlock {
  const dataUrl = fileData === undefined ? undefined : parseBase64DataUrl(fileData);
  if (dataUrl?.mediaType !== 'application/pdf')
    throw unsupportedParameter(source, at, 'files other than base64 PDF data: URLs');
  return {
    type: 'document',
    source: { type: 'base64', media_type: 'application/pdf', data: dataUrl.data },
  };
}
