// OpenAI chat messages → Gemini `systemInstruction` + `contents` (roles user/model). Tool results
// become `functionResponse` parts named after the assistant tool call they answer, since Gemini
// matches results by function name, not by id. Thought signatures go back where they came from:
// a function call's from its id, the text's from the turn's reasoning (Gemini's own only).
import { messageText, parseJsonSafe, type ChatMessage, type ContentPart } from '@switchyard/core';
import type { GeminiContent, GeminiPart } from './gemini-api.ts';
import {
  invalidRequest,
  isJsonObject,
  parseDataUrl,
  unsupportedParameter,
} from '../shared/index.ts';
import { thoughtSignatureOf } from './gemini-tool-call-id.ts';
import { turnSignature } from './gemini-thought-signature.ts';

export interface GeminiPrompt {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

/** Files uploaded through the Gemini Files API are the only remote URIs Gemini reads. */
const GEMINI_FILE_URI = /^https:\/\/[^/]+\/v1beta\/files\/[^/?#]+$/;

export function convertToGeminiMessages(
  messages: readonly ChatMessage[],
  provider: string,
): GeminiPrompt {
  const systemParts: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();

  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = messageText(message.content);
        if (text) systemParts.push({ text });
        break;
      }
      case 'user':
        append(
          contents,
          'user',
          userParts(message.content, `messages[${index}].content`, provider),
        );
        break;
      case 'assistant':
        append(contents, 'model', assistantParts(message, index, toolNames, provider));
        break;
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        if (name === undefined)
          throw invalidRequest(
            provider,
            `messages[${index}].tool_call_id`,
            `tool message answers "${message.tool_call_id}", which no earlier assistant tool call has`,
          );
        append(contents, 'user', [
          { functionResponse: { name, response: toResponseObject(messageText(message.content)) } },
        ]);
        break;
      }
      case 'function':
        append(contents, 'user', [
          {
            functionResponse: {
              name: message.name,
              response: toResponseObject(message.content ?? ''),
            },
          },
        ]);
        break;
    }
  });

  return systemParts.length > 0
    ? { systemInstruction: { parts: systemParts }, contents }
    : { contents };
}

/** Adjacent turns of the same role are merged: parallel tool results must share one user turn. */
function append(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function userParts(content: string | ContentPart[], param: string, provider: string): GeminiPart[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  return content.map((part, index) => contentPart(part, `${param}[${index}]`, provider));
}

function contentPart(part: ContentPart, param: string, provider: string): GeminiPart {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'refusal':
      return { text: part.refusal };
    case 'image_url': {
      const url = part.image_url.url;
      if (url.startsWith('data:'))
        return { inlineData: dataUrlToInline(url, `${param}.image_url.url`, provider) };
      if (GEMINI_FILE_URI.test(url)) return { fileData: { fileUri: url } };
      throw unsupportedParameter(
        { provider, vendor: 'Gemini' },
        `${param}.image_url.url`,
        'image URLs other than data: URLs and Gemini Files API URIs',
      );
    }
    case 'input_audio':
      return {
        inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data },
      };
    case 'file':
      if (part.file.file_data?.startsWith('data:'))
        return {
          inlineData: dataUrlToInline(part.file.file_data, `${param}.file.file_data`, provider),
        };
      throw unsupportedParameter(
        { provider, vendor: 'Gemini' },
        `${param}.file`,
        'file references other than data: URLs',
      );
  }
}

function dataUrlToInline(
  url: string,
  param: string,
  provider: string,
): { mimeType: string; data: string } {
  const dataUrl = parseDataUrl(url);
  if (!dataUrl?.mediaType)
    throw invalidRequest(provider, param, 'is not a valid data: URL with a media type');
  return {
    mimeType: dataUrl.mediaType,
    data: dataUrl.base64
      ? dataUrl.data
      : Buffer.from(decodeURIComponent(dataUrl.data)).toString('base64'),
  };
}

function assistantParts(
  message: Extract<ChatMessage, { role: 'assistant' }>,
  index: number,
  toolNames: Map<string, string>,
  provider: string,
): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const text = messageText(message.content);
  const signature = turnSignature(message);
  if (text) parts.push({ text, ...(signature ? { thoughtSignature: signature } : {}) });
  message.tool_calls?.forEach((call, callIndex) => {
    toolNames.set(call.id, call.function.name);
    const part: GeminiPart = {
      functionCall: {
        name: call.function.name,
        args: parseArguments(
          call.function.arguments,
          `messages[${index}].tool_calls[${callIndex}].function.arguments`,
          provider,
        ),
      },
    };
    const signature = thoughtSignatureOf(call.id);
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  });
  if (message.function_call) {
    parts.push({
      functionCall: {
        name: message.function_call.name,
        args: parseArguments(
          message.function_call.arguments,
          `messages[${index}].function_call.arguments`,
          provider,
        ),
      },
    });
  }
  return parts;
}

function parseArguments(text: string, param: string, provider: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const parsed = parseJsonSafe(text);
  if (!isJsonObject(parsed))
    throw invalidRequest(provider, param, 'tool call arguments must be a JSON object');
  return parsed;
}

/** Gemini wants an object as the function response; other results are wrapped. */
function toResponseObject(text: string): Record<string, unknown> {
  const parsed = parseJsonSafe(text);
  if (isJsonObject(parsed)) return parsed;
  return { result: parsed ?? text };
}
