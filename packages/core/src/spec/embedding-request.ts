// The unified embeddings request: what a client asked for, once validated, in one shape every
// adapter reads. Inputs are always a list (a single string becomes a list of one).
import type { CallOptions } from './provider-adapter.ts';

/** One input to embed: text, or token ids for vendors that accept them. */
export type EmbeddingInput = string | readonly number[];

export interface EmbeddingRequest {
  /** A route or public model name; the default route when absent. */
  model?: string | undefined;
  /** The inputs in order; the answer has one vector per input, in the same order. */
  inputs: readonly EmbeddingInput[];
  /** The length the vectors are shortened to, for models that support it. */
  dimensions?: number | undefined;
  /** The caller's end-user id, passed on to vendors that take one. */
  user?: string | undefined;
}

/** One call of an adapter's `embed`: the request and the vendor model the router picked. */
export interface EmbeddingCall {
  request: EmbeddingRequest;
  /** The vendor's model id (or deployment name). */
  model: string;
  options: CallOptions;
}

/** Whether an input is token ids rather than text. */
export function isTokenInput(input: EmbeddingInput): input is readonly number[] {
  return typeof input !== 'string';
}

/** The inputs as text, for vendors that take text only; undefined when one is token ids. */
export function textInputs(request: EmbeddingRequest): string[] | undefined {
  const texts: string[] = [];
  for (const input of request.inputs) {
    if (isTokenInput(input)) return undefined;
    texts.push(input);
  }
  return texts;
}

const CHARS_PER_TOKEN = 4;

/** Input tokens estimated before a call (token ids count as themselves, text as 4 characters a token). */
export function estimateEmbeddingTokens(inputs: readonly EmbeddingInput[]): number {
  let tokens = 0;
  for (const input of inputs)
    tokens += isTokenInput(input)
      ? input.length
      : Math.max(1, Math.ceil(input.length / CHARS_PER_TOKEN));
  return tokens;
}

/** Splits inputs into batches of at most `size`, keeping their order. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    batches.push(items.slice(start, start + size));
  return batches;
}
