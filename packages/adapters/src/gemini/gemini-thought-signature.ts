// Thought signatures Gemini puts on parts other than function calls (those ride in the tool-call
// id, see gemini-tool-call-id.ts). They become the signature of the answer's reasoning part, named
// with Gemini's family, and go back on the model turn's text when the conversation returns.
import type { ChatMessage } from '@switchyard/core';
import { signedReasoning } from '../shared/index.ts';
import type { GeminiPart } from './gemini-api.ts';

/** The signing family of Gemini's thought signatures (`ReasoningPart.origin`). */
export const GEMINI_REASONING = 'gemini';

/** The signature a non-function-call part carries, if any. */
export function partSignature(part: GeminiPart): string | undefined {
  return part.functionCall || !part.thoughtSignature ? undefined : part.thoughtSignature;
}

/** The Gemini signature an assistant turn's reasoning carries back, if any. */
export function turnSignature(
  message: Extract<ChatMessage, { role: 'assistant' }>,
): string | undefined {
  return signedReasoning(message.reasoning, GEMINI_REASONING).find((part) => part.signature)
    ?.signature;
}
