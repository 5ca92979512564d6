// Input tokens counted by Cohere's own tokenizer (`POST /v1/tokenize`, the endpoint v2 clients
// call): the prompt's text — system and messages, tool calls and tool definitions — in pieces
// within the endpoint's text limit, their token counts summed.
import { messageText, type ChatRequest } from '@switchyard/core';
import { isJsonObject, protocolError } from '../shared/index.ts';

/** The endpoint's longest `text`. */
export const COHERE_TOKENIZE_MAX_TEXT = 65_536;
/** Past this many pieces a prompt is left to the estimate rather than cost many calls. */
export const COHERE_TOKENIZE_MAX_PIECES = 16;

/** The text the model reads of a request, one message a line. */
export function cohereTokenizeText(request: ChatRequest): string {
  const lines: string[] = [];
  for (const message of request.messages) {
    const text = messageText(message.content);
    if (text) lines.push(text);
    if (message.role === 'assistant')
      for (const call of message.tool_calls ?? [])
        lines.push(`${call.function.name} ${call.function.arguments}`);
  }
  for (const tool of request.tools ?? []) lines.push(JSON.stringify(tool.function));
  return lines.join('\n');
}

/** The text in pieces the endpoint accepts; undefined when it would take too many. */
export function tokenizePieces(text: string): string[] | undefined {
  if (text.length === 0) return [];
  const count = Math.ceil(text.length / COHERE_TOKENIZE_MAX_TEXT);
  if (count > COHERE_TOKENIZE_MAX_PIECES) return undefined;
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += COHERE_TOKENIZE_MAX_TEXT)
    pieces.push(text.slice(start, start + COHERE_TOKENIZE_MAX_TEXT));
  return pieces;
}

/** The number of `tokens` of a TokenizeResponse; a protocol error when it has none. */
export function readTokenCount(body: unknown, provider: string): number {
  if (isJsonObject(body) && Array.isArray(body.tokens)) return body.tokens.length;
  throw protocolError(provider, 'tokenize answered 200 with a body without tokens');
}
