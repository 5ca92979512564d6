// Thinking blocks and unified reasoning parts, both ways. A Messages client's signatures are, by
// the API's definition, Anthropic's; they travel bare so that a native target gets them byte for
// byte. Signatures of another family are sealed (`reasoning-seal.ts`) so they find their way back
// to that family only.
import type { ReasoningPart } from '../../spec/chat-response.ts';
import { openReasoning, sealReasoning, type SealedReasoning } from '../reasoning-seal.ts';
import type { MessagesBlock } from './messages-schema.ts';

/** The signing family of the Messages API's own thinking signatures. */
export const MESSAGES_REASONING_ORIGIN = 'anthropic';

/** A `thinking` or `redacted_thinking` block sent back by the client, as a reasoning part. */
export function reasoningOfBlock(block: MessagesBlock): ReasoningPart | undefined {
  if (block.type === 'thinking') {
    const text = typeof block.thinking === 'string' ? block.thinking : '';
    const signature = typeof block.signature === 'string' ? block.signature : '';
    if (!signature) return { text };
    return { text, ...(openReasoning(signature) ?? bare({ signature })) };
  }
  if (block.type === 'redacted_thinking' && typeof block.data === 'string' && block.data)
    return { text: '', ...(openReasoning(block.data) ?? bare({ encrypted: block.data })) };
  return undefined;
}

function bare(fields: Pick<ReasoningPart, 'signature' | 'encrypted'>): SealedReasoning {
  return { ...fields, origin: MESSAGES_REASONING_ORIGIN };
}

/**
 * A part's signature as the client sees it: bare when it is the Messages API's own, else sealed
 * (a signature of no named family is sealed without one, so no vendor is ever sent it).
 */
export function clientSignature(part: Pick<ReasoningPart, 'signature' | 'origin'>): string {
  if (!part.signature) return '';
  if (part.origin === MESSAGES_REASONING_ORIGIN) return part.signature;
  return sealReasoning({ text: '', signature: part.signature, ...family(part) }) ?? '';
}

/** Withheld reasoning as the client sees it, sealed like signatures of another family. */
export function clientRedactedData(part: Pick<ReasoningPart, 'encrypted' | 'origin'>): string {
  const encrypted = part.encrypted ?? '';
  if (part.origin === MESSAGES_REASONING_ORIGIN) return encrypted;
  return sealReasoning({ text: '', encrypted, ...family(part) }) ?? encrypted;
}

function family(part: Pick<ReasoningPart, 'origin'>): Pick<ReasoningPart, 'origin'> {
  return part.origin !== undefined ? { origin: part.origin } : {};
}
