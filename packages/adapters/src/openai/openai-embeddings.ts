// Embeddings over the OpenAI wire format (`POST …/embeddings`): OpenAI, Azure OpenAI (the
// deployment's path) and the OpenAI-compatible local servers share it.
import {
  fromBase64Vector,
  type EmbeddingCall,
  type EmbeddingInput,
  type EmbeddingResponse,
} from '@switchyard/core';
import { callJson, type ErrorParser } from '../http/index.ts';
import { embedInBatches, isVector, type EmbeddedBatch } from '../shared/embed-batches.ts';
import { isJsonObject, numberField, stringField } from '../shared/index.ts';
import { openAIProtocolError } from './map-openai-response.ts';
import type { OpenAIErrorContext } from './openai-error.ts';

/** OpenAI's own limit of inputs per call. */
export const OPENAI_EMBEDDING_BATCH = 2048;

export interface OpenAIEmbeddingsSettings {
  /** The embeddings URL for a vendor model id (Azure puts the deployment in the path). */
  url: (model: string) => string;
  headers: Readonly<Record<string, string>>;
  parseError: ErrorParser;
  context: OpenAIErrorContext;
  maxBatch?: number;
}

/** The chat completions URL's embeddings sibling (same base, deployment and query). */
export function embeddingsUrlFor(chatUrl: (model: string) => string): (model: string) => string {
  return (model) => chatUrl(model).replace('/chat/completions', '/embeddings');
}

export function createOpenAIEmbed(
  settings: OpenAIEmbeddingsSettings,
): (call: EmbeddingCall) => Promise<EmbeddingResponse> {
  return (call) =>
    embedInBatches({
      inputs: call.request.inputs,
      maxBatch: settings.maxBatch ?? OPENAI_EMBEDDING_BATCH,
      model: call.model,
      callBatch: (inputs) => embedBatch(settings, call, inputs),
    });
}

async function embedBatch(
  settings: OpenAIEmbeddingsSettings,
  call: EmbeddingCall,
  inputs: EmbeddingInput[],
): Promise<EmbeddedBatch> {
  const { request } = call;
  const body = {
    input: inputs,
    ...(call.model ? { model: call.model } : {}),
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
  };
  return await callJson({
    request: {
      url: settings.url(call.model),
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...settings.headers,
      },
      body: JSON.stringify(body),
      signal: call.options.signal,
      deadline: call.options.deadline,
      provider: settings.context.provider,
    },
    parseError: settings.parseError,
    parse: (answer, response) =>
      readEmbeddingList(answer, inputs.length, settings.context, response.status),
  });
}

/** The vectors of an OpenAI embedding list in index order (floats, or base64 float32). */
export function readEmbeddingList(
  body: unknown,
  expected: number,
  context: OpenAIErrorContext,
  status?: number,
): EmbeddedBatch {
  if (!isJsonObject(body) || !Array.isArray(body.data))
    throw openAIProtocolError(context, 'the embedding list has no data array', status);
  const vectors: number[][] = new Array<number[]>(body.data.length);
  for (const [position, item] of body.data.entries()) {
    if (!isJsonObject(item))
      throw openAIProtocolError(context, 'an embedding is not an object', status);
    const index = numberField(item, 'index') ?? position;
    const vector =
      typeof item.embedding === 'string' ? fromBase64Vector(item.embedding) : item.embedding;
    if (!isVector(vector) || index < 0 || index >= body.data.length)
      throw openAIProtocolError(context, `embedding ${position} is not a vector`, status);
    vectors[index] = vector;
  }
  if (vectors.length !== expected || vectors.some((vector) => vector === undefined))
    throw openAIProtocolError(
      context,
      `${vectors.length} embeddings for ${expected} inputs`,
      status,
    );
  const usage = isJsonObject(body.usage) ? numberField(body.usage, 'prompt_tokens') : undefined;
  return { vectors, inputTokens: usage, model: stringField(body, 'model') };
}
