// Reasoning a client holds for the gateway between turns: a vendor's signature (or withheld
// reasoning) wrapped with the family that can verify it, so that when the client sends it back the
// gateway knows whose it is. A value without the wrapper is some vendor's own (OpenAI's
// `encrypted_content`) and is never handed to another vendor.
import type { ReasoningPart } from '../spec/chat-response.ts';

const PREFIX = 'swy1';
const SIGNATURE = 's';
const WITHHELD = 'e';

/** What a sealed value carries back: the part's signature or withheld reasoning, and its family. */
export type SealedReasoning = Pick<ReasoningPart, 'signature' | 'encrypted' | 'origin'>;

/**
 * `swy1:<origin>:<s|e>:<value>` for a part with a signature (`s`) or withheld reasoning (`e`);
 * undefined when the part has neither (nothing to send back).
 */
export function sealReasoning(part: ReasoningPart): string | undefined {
  const origin = part.origin ?? '';
  if (part.encrypted !== undefined) return [PREFIX, origin, WITHHELD, part.encrypted].join(':');
  if (part.signature) return [PREFIX, origin, SIGNATURE, part.signature].join(':');
  return undefined;
}

/** The part fields a sealed value carries; undefined for a value the gateway did not seal. */
export function openReasoning(value: string): SealedReasoning | undefined {
  const [prefix, origin, kind] = value.split(':', 3);
  if (prefix !== PREFIX || origin === undefined || kind === undefined) return undefined;
  const payload = value.slice(PREFIX.length + origin.length + kind.length + 3);
  if (!payload) return undefined;
  const from = origin ? { origin } : {};
  if (kind === SIGNATURE) return { signature: payload, ...from };
  if (kind === WITHHELD) return { encrypted: payload, ...from };
  return undefined;
}
