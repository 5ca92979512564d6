// OpenAI-style messages -> Converse `system` + `messages` (the shared turn walk): images as inline
// base64 bytes, tool calls as `toolUse` and results as `toolResult` blocks, and the signed
// reasoning of earlier turns as `reasoningContent` (Claude's signatures only: Bedrock's are those).
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
import type { BedrockContentBlock, BedrockImageFormat, BedrockMessage } from './bedrock-api.ts';

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

export interface BedrockPromptOptions {
  /** The model is Claude's, which takes its signed reasoning back (others refuse the blocks). */
  claudeReasoning?: boolean;
}

function bedrockBlocks(
  source: VendorLabel,
  options: BedrockPromptOptions,
): TurnBlocks<BedrockContentBlock> {
  return {
    text: (text) => ({ text }),
    image: (url, at) => imageBlock(url, at, source),
    file: (_part, at) => {
      throw unsupportedParameter(source, at, 'file parts');
    },
    toolUse: (call, input) => ({
      toolUse: { toolUseId: call.id, name: call.function.name, input },
    }),
    toolResult: (toolCallId, text) => ({
      toolResult: { toolUseId: toolCallId, content: [{ text }] },
    }),
    reasoning: (parts) =>
      options.claudeReasoning ? signedReasoning(parts, CLAUDE_REASONING).map(reasoningBlock) : [],
  };
}

/** A signed part as Converse `reasoningContent`: its text and signature, or the withheld bytes. */
function reasoningBlock(part: ReasoningPart): BedrockContentBlock {
  if (part.encrypted !== undefined)
    return { reasoningContent: { redactedContent: part.encrypted } };
  return {
    reasoningContent: { reasoningText: { text: part.text, signature: part.signature ?? '' } },
  };
}

export function convertToBedrockMessages(
  messages: readonly ChatMessage[],
  provider: string,
  options: BedrockPromptOptions = {},
): BedrockPrompt {
  const source = { provider, vendor: 'Bedrock' };
  const turns = convertToTurns(messages, source, bedrockBlocks(source, options));
  return {
    system: turns.system.map((text) => ({ text })),
    messages: turns.messages,
    hasToolHistory: turns.hasToolHistory,
  };
}

function imageBlock(url: string, at: string, source: VendorLabel): BedrockContentBlock {
  if (HTTP_URL.test(url))
    throw unsupportedParameter(source, at, 'image URLs; send the image as a base64 data: URL');
  const dataUrl = parseBase64DataUrl(url);
  if (!dataUrl) throw invalidRequest(source.provider, at, `${at} must be a base64 data: URL`);
  const format = IMAGE_FORMATS[dataUrl.mediaType];
  if (!format)
    throw unsupportedParameter(source, at, `image type ${dataUrl.mediaType || 'unknown'}`);
  return { image: { format, source: { bytes: dataUrl.data } } };
}
