// Bedrock embeddings through InvokeModel (`POST /model/{id}/invoke`): Titan Text Embeddings v2
// takes one text a call (`inputText`, `dimensions`), Cohere Embed up to 96 (`texts`); calls are
// split and reassembled in order. Usage from Titan's `inputTextTokenCount` or Bedrock's
// `X-Amzn-Bedrock-Input-Token-Count` header.
import type { CallOptions, EmbeddingCall, EmbeddingResponse } from '@switchyard/core';
import { textInputs } from '@switchyard/core';
import {
  callJson,
  headerValue,
  type ErrorParser,
  type HttpRequest,
  type HttpResponse,
} from '../http/index.ts';
import { cohereEmbedBody, readCohereEmbeddings } from '../cohere/cohere-embeddings.ts';
import { embedInBatches, isVector, type EmbeddedBatch } from '../shared/embed-batches.ts';
import { isJsonObject, numberField, protocolError, unsupportedParameter } from '../shared/index.ts';

/** Cohere Embed's limit of texts per InvokeModel call. */
export const BEDROCK_COHERE_EMBED_BATCH = 96;

export interface BedrockEmbeddingsSettings {
  provider: string;
  /** The runtime endpoint. */
  runtime: string;
  parseError: ErrorParser;
  /** A signed JSON POST. */
  sign: (url: string, options: CallOptions, body: string) => Promise<HttpRequest>;
}

type Family = 'titan' | 'cohere';

/** Which embedding family a model id (or inference profile, or ARN) belongs to. */
export function bedrockEmbeddingFamily(model: string): Family | undefined {
  if (model.includes('amazon.titan-embed-text')) return 'titan';
  if (model.includes('cohere.embed')) return 'cohere';
  return undefined;
}

export function createBedrockEmbed(
  settings: BedrockEmbeddingsSettings,
): (call: EmbeddingCall) => Promise<EmbeddingResponse> {
  const label = { provider: settings.provider, vendor: 'Bedrock' };
  return async (call) => {
    const family = bedrockEmbeddingFamily(call.model);
    if (!family)
      throw unsupportedParameter(
        label,
        'model',
        `${call.model} is not a Titan Text Embeddings or Cohere Embed model`,
      );
    const texts = textInputs(call.request);
    if (!texts) throw unsupportedParameter(label, 'input', 'token ids; Bedrock embeds text only');
    return await embedInBatches({
      inputs: texts,
      maxBatch: family === 'titan' ? 1 : BEDROCK_COHERE_EMBED_BATCH,
      model: call.model,
      callBatch: (batch) => invoke(settings, call, family, batch),
    });
  };
}

async function invoke(
  settings: BedrockEmbeddingsSettings,
  call: EmbeddingCall,
  family: Family,
  texts: string[],
): Promise<EmbeddedBatch> {
  const { dimensions } = call.request;
  const body =
    family === 'titan'
      ? { inputText: texts[0], ...(dimensions !== undefined ? { dimensions } : {}) }
      : cohereEmbedBody(texts, dimensions);
  const url = `${settings.runtime}/model/${encodeURIComponent(call.model)}/invoke`;
  return await callJson({
    request: await settings.sign(url, call.options, JSON.stringify(body)),
    parseError: settings.parseError,
    parse: (answer, response) =>
      family === 'titan'
        ? readTitan(answer, settings.provider, response)
        : {
            ...readCohereEmbeddings(answer, texts.length, settings.provider, response.status),
            inputTokens: headerTokens(response),
          },
  });
}

function headerTokens(response: HttpResponse): number | undefined {
  const value = Number(headerValue(response.headers, 'x-amzn-bedrock-input-token-count'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function readTitan(body: unknown, provider: string, response: HttpResponse): EmbeddedBatch {
  const embedding = isJsonObject(body) ? body.embedding : undefined;
  if (!isJsonObject(body) || !isVector(embedding))
    throw protocolError(provider, 'Titan answered no embedding', response.status);
  return {
    vectors: [embedding],
    inputTokens: numberField(body, 'inputTextTokenCount') ?? headerTokens(response),
  };
}
