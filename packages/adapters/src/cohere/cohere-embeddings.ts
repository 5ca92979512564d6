// Cohere v2 embeddings: `POST /v2/embed` with `texts` (at most 96 a call, split and reassembled
// in order), `input_type: search_document`, float embeddings and `output_dimension` for
// `dimensions`; usage from `meta.billed_units.input_tokens`.
import type { EmbeddingCall, EmbeddingResponse } from '@switchyard/core';
import { textInputs } from '@switchyard/core';
import { callJson, type ErrorParser } from '../http/index.ts';
import { embedInBatches, isVector, type EmbeddedBatch } from '../shared/embed-batches.ts';
import { isJsonObject, numberField, protocolError, unsupportedParameter } from '../shared/index.ts';

/** Cohere's limit of texts in one embed call. */
export const COHERE_EMBED_BATCH = 96;

export interface CohereEmbeddingsSettings {
  provider: string;
  /** The embed URL (`{base}/v2/embed`). */
  url: string;
  headers: Readonly<Record<string, string>>;
  parseError: ErrorParser;
}

export function createCohereEmbed(
  settings: CohereEmbeddingsSettings,
): (call: EmbeddingCall) => Promise<EmbeddingResponse> {
  return async (call) => {
    const texts = textInputs(call.request);
    if (!texts)
      throw unsupportedParameter(
        { provider: settings.provider, vendor: 'Cohere' },
        'input',
        'token ids; Cohere embeds text only',
      );
    return await embedInBatches({
      inputs: texts,
      maxBatch: COHERE_EMBED_BATCH,
      model: call.model,
      callBatch: (batch) => embedBatch(settings, call, batch),
    });
  };
}

/** The body of one Cohere embed call (also what Bedrock's Cohere Embed models take, without `model`). */
export function cohereEmbedBody(
  texts: string[],
  dimensions: number | undefined,
): Record<string, unknown> {
  return {
    texts,
    input_type: 'search_document',
    embedding_types: ['float'],
    ...(dimensions !== undefined ? { output_dimension: dimensions } : {}),
  };
}

async function embedBatch(
  settings: CohereEmbeddingsSettings,
  call: EmbeddingCall,
  texts: string[],
): Promise<EmbeddedBatch> {
  const body = { model: call.model, ...cohereEmbedBody(texts, call.request.dimensions) };
  return await callJson({
    request: {
      url: settings.url,
      method: 'POST',
      headers: { ...settings.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: call.options.signal,
      deadline: call.options.deadline,
      provider: settings.provider,
    },
    parseError: settings.parseError,
    parse: (answer, response) =>
      readCohereEmbeddings(answer, texts.length, settings.provider, response.status),
  });
}

/** The float vectors of a Cohere embed answer (by type, or the older float list), with billed tokens. */
export function readCohereEmbeddings(
  body: unknown,
  expected: number,
  provider: string,
  status: number,
): EmbeddedBatch {
  if (!isJsonObject(body)) throw protocolError(provider, 'Cohere answered no JSON object', status);
  const embeddings = body.embeddings;
  const vectors: unknown = isJsonObject(embeddings) ? embeddings.float : embeddings;
  if (!Array.isArray(vectors) || vectors.length !== expected || !vectors.every(isVector))
    throw protocolError(
      provider,
      `Cohere answered no float embeddings for ${expected} texts`,
      status,
    );
  const meta = isJsonObject(body.meta) ? body.meta : undefined;
  const billed = meta && isJsonObject(meta.billed_units) ? meta.billed_units : undefined;
  return { vectors, inputTokens: billed ? numberField(billed, 'input_tokens') : undefined };
}
