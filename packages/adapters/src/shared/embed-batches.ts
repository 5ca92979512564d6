// Embeddings in batches: inputs past a vendor's per-call limit are split, sent a few calls at a
// time, and reassembled in input order; usage is the vendor's when every call reported it, else
// counted with the tokenizer and marked estimated.
import {
  batchesOf,
  countEmbeddingTokens,
  type EmbeddingInput,
  type EmbeddingResponse,
} from '@switchyard/core';

/** What one vendor call answered for one batch. */
export interface EmbeddedBatch {
  vectors: number[][];
  /** The vendor's input token count, when it gave one. */
  inputTokens?: number | undefined;
  /** The model as the vendor named it, when it did. */
  model?: string | undefined;
}

export interface BatchedEmbedding<T extends EmbeddingInput> {
  inputs: readonly T[];
  /** The vendor's per-call input limit. */
  maxBatch: number;
  /** The model reported when the vendor names none. */
  model: string;
  callBatch: (inputs: T[]) => Promise<EmbeddedBatch>;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
}

export async function embedInBatches<T extends EmbeddingInput>(
  embedding: BatchedEmbedding<T>,
): Promise<EmbeddingResponse> {
  const batches = batchesOf(embedding.inputs, Math.max(1, embedding.maxBatch));
  const results: EmbeddedBatch[] = new Array<EmbeddedBatch>(batches.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const index = next++;
      results[index] = await embedding.callBatch(batches[index] ?? []);
    }
  };
  const workers = Math.min(embedding.concurrency ?? 4, batches.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return await assemble(results, embedding);
}

async function assemble<T extends EmbeddingInput>(
  results: readonly EmbeddedBatch[],
  embedding: BatchedEmbedding<T>,
): Promise<EmbeddingResponse> {
  const embeddings = results.flatMap((result) => result.vectors);
  const reported = results.every((result) => result.inputTokens !== undefined);
  const usage = reported
    ? { inputTokens: results.reduce((sum, result) => sum + (result.inputTokens ?? 0), 0) }
    : { inputTokens: await countEmbeddingTokens(embedding.inputs), estimated: true };
  return { model: results[0]?.model ?? embedding.model, embeddings, usage };
}

/** Whether a value is a list of finite numbers (a vector). */
export function isVector(value: unknown): value is number[] {
  return (
    Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item))
  );
}
