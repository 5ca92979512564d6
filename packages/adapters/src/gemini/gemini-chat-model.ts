// The Google Gemini adapter (seed type `gcp`, alias `gemini`): native generateContent /
// streamGenerateContent with an `x-goog-api-key` header, countTokens, model listing and a cheap probe.
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
import { isJsonObject, modelPageFrom, protocolError } from '../shared/index.ts';
import { isGeminiModelList, type GeminiModel } from './gemini-api.ts';
import { geminiErrorFromResponse } from './gemini-error.ts';
import { geminiStreamFormat } from './gemini-stream.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';
import { createGeminiEmbed } from './gemini-embeddings.ts';
import {
  GEMINI_DEFAULT_ENDPOINT,
  geminiSettingsSchema,
  type GeminiSettings,
} from './gemini-settings.ts';

const MODEL_PAGE_SIZE = 1000;
/** Bounds listing even if a server kept returning page tokens. */
const MAX_MODEL_PAGES = 20;

/** `{endpoint}/v1beta`, accepting an endpoint written with or without the version. */
function apiBase(endpoint: string | undefined): string {
  const base = (endpoint ?? GEMINI_DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return base.endsWith('/v1beta') ? base : `${base}/v1beta`;
}

/** `models/{id}` unless the id already names a resource (`models/…`, `tunedModels/…`). */
function modelResource(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

export function createGeminiAdapter(
  provider: ProviderConfig,
  settings: GeminiSettings = geminiSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const base = apiBase(provider.endpoint);
  const headers: Record<string, string> = { ...settings.headers };
  if (provider.apiKey) headers['x-goog-api-key'] = provider.apiKey;
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const target = { provider: provider.id };
  const parseError: ErrorParser = (response, bodyText) =>
    geminiErrorFromResponse(response, bodyText, provider.id);

  function httpRequest(url: string, options: CallOptions, body?: string): HttpRequest {
    return {
      url,
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : jsonHeaders,
      ...(body !== undefined ? { body } : {}),
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
  }

  function generateRequest(call: AdapterCall, stream: boolean): HttpRequest {
    const body = JSON.stringify(convertToGeminiRequest(call.request, call.model, stream, target));
    const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
    return httpRequest(`${base}/${modelResource(call.model)}:${method}`, call.options, body);
  }

  function readModelPage(options: CallOptions, pageToken: string | undefined): Promise<ModelPage> {
    const query = `pageSize=${MODEL_PAGE_SIZE}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    return callJson({
      request: httpRequest(`${base}/models?${query}`, options),
      parseError,
      parse: (body, response) =>
        modelPageFrom(provider.id, body, response.status, {
          vendor: 'Gemini',
          isList: isGeminiModelList,
          models: (list) => (list.models ?? []).map(geminiModelInfo),
          next: (list) => list.nextPageToken,
        }),
    });
  }

  const embed = createGeminiEmbed({
    provider: provider.id,
    base,
    headers,
    parseError,
    resource: modelResource,
  });
  const chatModel = createChatModel({
    provider,
    parseError,
    chatRequest: generateRequest,
    mapResponse: (body, call, response) =>
      mapGeminiResponse(body, call.model, { provider: provider.id, status: response.status }),
    streamFormat: (call) => geminiStreamFormat({ provider: provider.id, model: call.model }),
    probe: {
      request: (options) => httpRequest(`${base}/models?pageSize=1`, options),
      check: 'GET /v1beta/models?pageSize=1',
    },
    listModels: (options) =>
      listModelPages((pageToken) => readModelPage(options, pageToken), MAX_MODEL_PAGES),
  });
  /**
   * The prompt counted by `models/{m}:countTokens`, sent as the generateContentRequest the call
   * would make (contents, system instruction, tools), so the count is of what the model reads.
   */
  async function countTokens(call: AdapterCall): Promise<number | undefined> {
    const converted = convertToGeminiRequest(call.request, call.model, false, target);
    const { contents, systemInstruction, tools, toolConfig } = converted;
    const generateContentRequest = {
      model: modelResource(call.model),
      contents,
      ...(systemInstruction ? { systemInstruction } : {}),
      ...(tools ? { tools } : {}),
      ...(toolConfig ? { toolConfig } : {}),
    };
    const url = `${base}/${modelResource(call.model)}:countTokens`;
    return await callJson({
      request: httpRequest(url, call.options, JSON.stringify({ generateContentRequest })),
      parseError,
      parse: (body) => readTotalTokens(body, provider.id),
    });
  }

  return { ...chatModel, embed, countTokens };
}

function readTotalTokens(body: unknown, provider: string): number {
  if (isJsonObject(body) && typeof body.totalTokens === 'number') return body.totalTokens;
  // An empty prompt is answered with `{}`: proto3 leaves out a zero.
  if (isJsonObject(body) && body.totalTokens === undefined && Object.keys(body).length === 0)
    return 0;
  throw protocolError(provider, 'countTokens answered 200 with a body without totalTokens');
}

/**
 * Chat models (`generateContent`) and embedding models (`embedContent`), by the methods each
 * lists; ids without the `models/` prefix, as requests use them.
 */
export function geminiModelInfo(model: GeminiModel): ModelInfo | undefined {
  if (typeof model.name !== 'string') return undefined;
  const methods = model.supportedGenerationMethods;
  const kind = !Array.isArray(methods)
    ? undefined
    : methods.includes('generateContent')
      ? 'chat'
      : methods.includes('embedContent')
        ? 'embedding'
        : null;
  if (kind === null) return undefined;
  return {
    id: model.name.replace(/^models\//, ''),
    ownedBy: 'google',
    ...(typeof model.inputTokenLimit === 'number' ? { contextWindow: model.inputTokenLimit } : {}),
    ...(kind ? { kind } : {}),
  };
}
