// The unified embeddings response, and its OpenAI wire shape (float lists or base64 of
// little-endian float32, as OpenAI sends them).
export interface EmbeddingUsage {
  inputTokens: number;
  /** True when the vendor reported no usage and the gateway counted it. */
  estimated?: boolean;
}

export interface EmbeddingResponse {
  /** The model that answered, as the vendor named it. */
  model: string;
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage: EmbeddingUsage;
  /** The provider id that served the request; set by the router. */
  provider?: string;
}

export type EmbeddingEncoding = 'float' | 'base64';

export interface OpenAIEmbeddingList {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** A vector as base64 of its little-endian float32 values. */
export function toBase64Vector(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) buffer.writeFloatLE(value, index * 4);
  return buffer.toString('base64');
}

/** A base64 float32 vector read back as numbers. */
export function fromBase64Vector(encoded: string): number[] {
  const buffer = Buffer.from(encoded, 'base64');
  const vector: number[] = [];
  for (let offset = 0; offset + 4 <= buffer.length; offset += 4)
    vector.push(buffer.readFloatLE(offset));
  return vector;
}

export function toOpenAIEmbeddingList(
  response: EmbeddingResponse,
  encoding: EmbeddingEncoding,
): OpenAIEmbeddingList {
  return {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? toBase64Vector(vector) : vector,
    })),
    model: response.model,
    usage: { prompt_tokens: response.usage.inputTokens, total_tokens: response.usage.inputTokens },
  };
}
