// Gemini embeddings: `models/{model}:batchEmbedContents` (at most 100 contents a call, split
// and reassembled in order), `outputDimensionality` for `dimensions`. Gemini reports no usage,
// so it is counted and marked estimated.
import type { EmbeddingCall, EmbeddingResponse } from '@switchyard/core';
import { textInputs } from '@switchyard/core';
import { callJson, type ErrorParser } from '../http/index.ts';
import { embedInBatches, isVector, type EmbeddedBatch } from '../shared/embed-batches.ts';
import { isJsonObject, protocolError, unsupportedParameter } from '../shared/index.ts';

/** Gemini's limit of contents in one batchEmbedContents call. */
export const GEMINI_EMBED_BATCH = 100;

export interface GeminiEmbeddingsSettings {
  provider: string;
  /** `{endpoint}/v1beta`. */
  base: string;
  headers: Readonly<Record<string, string>>;
  parseError: ErrorParser;
  /** `models/{id}` for a model id. */
  resource: (model: string) => string;
}

export function createGeminiEmbed(
  settings: GeminiEmbeddingsSettings,
): (call: EmbeddingCall) => Promise<EmbeddingResponse> {
  return async (call) => {
    const texts = textInputs(call.request);
    if (!texts)
      throw unsupportedParameter(
        { provider: settings.provider, vendor: 'Gemini' },
        'input',
        'token ids; Gemini embeds text only',
      );
    return await embedInBatches({
      inputs: texts,
      maxBatch: GEMINI_EMBED_BATCH,
      model: call.model,
      callBatch: (batch) => embedBatch(settings, call, batch),
    });
  };
}

async function embedBatch(
  settings: GeminiEmbeddingsSettings,
  call: EmbeddingCall,
  texts: string[],
): Promise<EmbeddedBatch> {
  const resource = settings.resource(call.model);
  const dimensions = call.request.dimensions;
  const requests = texts.map((text) => ({
    model: resource,
    content: { parts: [{ text }] },
    ...(dimensions !== undefined ? { outputDimensionality: dimensions } : {}),
  }));
  return await callJson({
    request: {
      url: `${settings.base}/${resource}:batchEmbedContents`,
      method: 'POST',
      headers: { ...settings.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ requests }),
      signal: call.options.signal,
      deadline: call.options.deadline,
      provider: settings.provider,
    },
    parseError: settings.parseError,
    parse: (body, response) => readBatch(body, texts.length, settings.provider, response.status),
  });
}

function readBatch(
  body: unknown,
  expected: number,
  provider: string,
  status: number,
): EmbeddedBatch {
  const embeddings = isJsonObject(body) ? body.embeddings : undefined;
  if (!Array.isArray(embeddings) || embeddings.length !== expected)
    throw protocolError(provider, `Gemini answered no embeddings list of ${expected}`, status);
  const vectors = embeddings.map((item: unknown) => (isJsonObject(item) ? item.values : undefined));
  if (!vectors.every(isVector))
    throw protocolError(provider, 'a Gemini embedding has no values', status);
  return { vectors };
}
