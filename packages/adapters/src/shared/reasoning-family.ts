// Which reasoning a vendor can take back. Every part an adapter receives is named with its signing
// family (`ReasoningPart.origin`); only parts of the vendor's own family, carrying what it signed,
// are sent to it: another family's signature, or reasoning no one signed, would be refused.
import { MESSAGES_REASONING_ORIGIN, type ReasoningPart } from '@switchyard/core';

/**
 * Claude's thinking signatures: they verify on Anthropic's API and on Bedrock's alike, and are the
 * Messages API's own.
 */
export const CLAUDE_REASONING = MESSAGES_REASONING_ORIGIN;

/** The parts of `reasoning` a vendor of `family` signed: a signature or withheld reasoning. */
export function signedReasoning(
  reasoning: readonly ReasoningPart[] | undefined,
  family: string,
): ReasoningPart[] {
  return (reasoning ?? []).filter(
    (part) => part.origin === family && (Boolean(part.signature) || part.encrypted !== undefined),
  );
}
