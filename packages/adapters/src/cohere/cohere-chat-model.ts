// The Cohere adapter: v2 chat (`POST /v2/chat`, bearer auth, SSE streaming), token counts by its
// tokenizer, model listing and a cheap probe on the models endpoint.
import type {
  AdapterCall,
  CallOptions,
  ModelInfo,
  ProviderAdapter,
  ProviderConfig,
} from '@switchyard/core';
import {
  callJson,
  createChatModel,
  listModelPages,
  type ErrorParser,
  type HttpRequest,
  type ModelPage,
} from '../http/index.ts';
import { modelPageFrom } from '../shared/index.ts';
import { isCohereModelList, type CohereModelList } from './cohere-api.ts';
import { cohereErrorFromResponse } from './cohere-error.ts';
import { cohereStreamFormat } from './cohere-stream.ts';
import { convertToCohereRequest } from './convert-to-cohere-request.ts';
import { mapCohereResponse } from './map-cohere-response.ts';
import { createCohereEmbed } from './cohere-embeddings.ts';
import { cohereTokenizeText, readTokenCount, tokenizePieces } from './cohere-tokenize.ts';
import {
  COHERE_DEFAULT_ENDPOINT,
  cohereSettingsSchema,
  type CohereSettings,
} from './cohere-settings.ts';

const MODEL_PAGE_SIZE = 1000;
/** Bounds listing even if a server kept returning page tokens. */
const MAX_MODEL_PAGES = 20;

export function createCohereAdapter(
  provider: ProviderConfig,
  settings: CohereSettings = cohereSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const base = (provider.endpoint ?? COHERE_DEFAULT_ENDPOINT)
    .replace(/\/+$/, '')
    .replace(/\/v[12]$/, '');
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...settings.headers,
  };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const streamHeaders = { ...jsonHeaders, accept: 'text/event-stream' };
  const target = { provider: provider.id };
  const parseError: ErrorParser = (response, bodyText) =>
    cohereErrorFromResponse(response, bodyText, provider.id);

  function httpRequest(
    url: string,
    options: CallOptions,
    body?: string,
    requestHeaders = headers,
  ): HttpRequest {
    return {
      url,
      method: body === undefined ? 'GET' : 'POST',
      headers: requestHeaders,
      ...(body !== undefined ? { body } : {}),
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
  }

  function chatRequest(call: AdapterCall, stream: boolean): HttpRequest {
    const body = JSON.stringify(convertToCohereRequest(call.request, call.model, stream, target));
    return httpRequest(`${base}/v2/chat`, call.options, body, stream ? streamHeaders : jsonHeaders);
  }

  function readModelPage(options: CallOptions, pageToken: string | undefined): Promise<ModelPage> {
    const query = `endpoint=chat&page_size=${MODEL_PAGE_SIZE}${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
    return callJson({
      request: httpRequest(`${base}/v1/models?${query}`, options),
      parseError,
      parse: (body, response) =>
        modelPageFrom(provider.id, body, response.status, {
          vendor: 'Cohere',
          isList: isCohereModelList,
          models: (list) => (list.models ?? []).map(cohereModelInfo),
          next: (list) => list.next_page_token,
        }),
    });
  }

  const embed = createCohereEmbed({
    provider: provider.id,
    url: `${base}/v2/embed`,
    headers,
    parseError,
  });
  const chatModel = createChatModel({
    provider,
    parseError,
    chatRequest,
    mapResponse: (body, call, response) =>
      mapCohereResponse(body, call.model, { provider: provider.id, status: response.status }),
    streamFormat: (call) => cohereStreamFormat({ provider: provider.id, model: call.model }),
    probe: {
      request: (options) => httpRequest(`${base}/v1/models?page_size=1`, options),
      check: 'GET /v1/models?page_size=1',
    },
    listModels: (options) =>
      listModelPages((pageToken) => readModelPage(options, pageToken), MAX_MODEL_PAGES),
  });
  /** The prompt counted by Cohere's tokenizer; undefined when it is too long to count in a few calls. */
  async function countTokens(call: AdapterCall): Promise<number | undefined> {
    const pieces = tokenizePieces(cohereTokenizeText(call.request));
    if (pieces === undefined) return undefined;
    let total = 0;
    for (const text of pieces) {
      const body = JSON.stringify({ text, model: call.model });
      total += await callJson({
        request: httpRequest(`${base}/v1/tokenize`, call.options, body, jsonHeaders),
        parseError,
        parse: (answer) => readTokenCount(answer, provider.id),
      });
    }
    return total;
  }

  return { ...chatModel, embed, countTokens };
}

/** A model's kind from the endpoints Cohere says it serves (`chat`, `embed`). */
export function cohereModelInfo(
  model: NonNullable<CohereModelList['models']>[number],
): ModelInfo | undefined {
  if (typeof model.name !== 'string') return undefined;
  const endpoints = Array.isArray(model.endpoints) ? model.endpoints : [];
  const kind = endpoints.includes('chat')
    ? 'chat'
    : endpoints.includes('embed')
      ? 'embedding'
      : undefined;
  return {
    id: model.name,
    ownedBy: 'cohere',
    ...(typeof model.context_length === 'number' ? { contextWindow: model.context_length } : {}),
    ...(kind ? { kind } : {}),
  };
}
