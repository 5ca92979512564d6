// Tool-call ids for Gemini. Gemini usually sends no call id, and newer models require the
// `thoughtSignature` of a function call to be echoed back on the next turn. OpenAI clients keep
// only the id, so the signature travels inside it (base64url, so ids stay [A-Za-z0-9_-]) and is
// restored when the conversation comes back.

const SIGNATURE_SEPARATOR = '__ts_';

export function encodeGeminiToolCallId(
  baseId: string,
  thoughtSignature: string | undefined,
): string {
  if (!thoughtSignature) return baseId;
  return `${baseId}${SIGNATURE_SEPARATOR}${Buffer.from(thoughtSignature, 'base64').toString('base64url')}`;
}

/** The thought signature carried by an id made by `encodeGeminiToolCallId`, if any. */
export function thoughtSignatureOf(id: string): string | undefined {
  const at = id.indexOf(SIGNATURE_SEPARATOR);
  if (at === -1) return undefined;
  const encoded = id.slice(at + SIGNATURE_SEPARATOR.length);
  return encoded.length > 0 ? Buffer.from(encoded, 'base64url').toString('base64') : undefined;
}

/** Gemini's own id when it sent one; otherwise one that is unique per response and stable across stream and non-stream. */
export function geminiToolCallBaseId(
  vendorId: string | undefined,
  responseId: string,
  candidateIndex: number,
  toolCallIndex: number,
): string {
  return vendorId ?? `call_${responseId}_${candidateIndex}_${toolCallIndex}`;
}
