// The OpenAI `POST /v1/embeddings` body: validated once (a 400 naming the field) and turned into
// core's EmbeddingRequest.
import { z } from 'zod';
import type { EmbeddingRequest } from '../../spec/embedding-request.ts';
import type { EmbeddingEncoding } from '../../spec/embedding-response.ts';
import { InvalidRequestError } from '../../spec/errors.ts';
import { describeIssues, toFieldIssues } from '../../spec/validation.ts';

/** The most inputs one request may carry (OpenAI's own limit). */
export const MAX_EMBEDDING_INPUTS = 2048;

const text = z.string().min(1, 'must not be an empty string');
const tokens = z
  .array(z.number().int().nonnegative('token ids are non-negative integers'))
  .min(1, 'must not be empty');

export const embeddingsBodySchema = z.looseObject({
  model: z.string().min(1, 'must not be empty').optional(),
  input: z.union(
    [
      text,
      z.array(text).min(1, 'must not be empty').max(MAX_EMBEDDING_INPUTS),
      tokens,
      z.array(tokens).min(1, 'must not be empty').max(MAX_EMBEDDING_INPUTS),
    ],
    {
      error:
        'must be a string, an array of strings, an array of token ids or an array of arrays of token ids',
    },
  ),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});

export interface EmbeddingsBody {
  request: EmbeddingRequest;
  encoding: EmbeddingEncoding;
}

export function parseEmbeddingsBody(input: unknown): EmbeddingsBody {
  const result = embeddingsBodySchema.safeParse(input);
  if (!result.success) {
    const issues = toFieldIssues(result.error);
    throw new InvalidRequestError(
      `Invalid request: ${describeIssues(issues)}`,
      issues[0]?.path || null,
    );
  }
  const body = result.data;
  const request: EmbeddingRequest = {
    model: body.model,
    inputs: toInputs(body.input),
    ...(body.dimensions !== undefined ? { dimensions: body.dimensions } : {}),
    ...(body.user !== undefined ? { user: body.user } : {}),
  };
  return { request, encoding: body.encoding_format ?? 'float' };
}

function toInputs(input: string | string[] | number[] | number[][]): EmbeddingRequest['inputs'] {
  if (typeof input === 'string') return [input];
  const [first] = input;
  if (typeof first === 'number') return [input as number[]];
  return input as string[] | number[][];
}
