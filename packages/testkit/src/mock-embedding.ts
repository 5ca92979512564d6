// The deterministic vectors every embeddings mock answers with: a hash of the model and the
// input, so a test can compute what the mock computed and compare it with the gateway's answer.
// Every component is a multiple of 1/128, exact in float32, so base64 answers compare exactly.
import { createHash } from 'node:crypto';

/** The length of a mock vector when the request names none. */
export const MOCK_EMBEDDING_DIMENSIONS = 8;

/** The vector a mock returns for `input` from `model`. */
export function mockEmbedding(
  model: string,
  input: string | readonly number[],
  dimensions = MOCK_EMBEDDING_DIMENSIONS,
): number[] {
  const text = typeof input === 'string' ? input : `tokens:${input.join(',')}`;
  const vector: number[] = [];
  for (let block = 0; vector.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${model}\u0000${block}\u0000${text}`).digest();
    for (const byte of digest) {
      if (vector.length === dimensions) break;
      vector.push((byte - 128) / 128);
    }
  }
  return vector;
}

/** The mock's token count of one input: words of text, or the token ids themselves. */
export function mockEmbeddingTokens(input: string | readonly number[]): number {
  if (typeof input !== 'string') return input.length;
  return Math.max(1, input.trim().split(/\s+/).filter(Boolean).length);
}

/** A little-endian float32 vector as base64, as OpenAI sends `encoding_format: base64`. */
export function base64Float32(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) buffer.writeFloatLE(value, index * 4);
  return buffer.toString('base64');
}
