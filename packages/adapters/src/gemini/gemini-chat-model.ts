// The Google Gemini adapter (seed type `gcp`, alias `gemini`): native generateContent /
// streamGenerateContent with an `x-goog-api-key` header, model listing and a cheap probe.
import type {
  AdapterCall,
  CallOptions,
  ChatResponse,
  ModelInfo,
  ProbeResult,
  ProviderAdapter,
  ProviderConfig,
  StreamCallOptions,
  StreamEvent,
} from '@switchyard/core';
import {
  callJson,
  openStream,
  probeHttp,
  type ErrorParser,
  type HttpRequest,
} from '../http/index.ts';
import { protocolError } from '../shared/index.ts';
import { isGeminiModelList, type GeminiModel } from './gemini-api.ts';
import { geminiErrorFromResponse } from './gemini-error.ts';
import { geminiStreamFormat } from './gemini-stream.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';

const DEFAULT_ENDPOINT = 'https://generativelanguage.googleapis.com';
const MODEL_PAGE_SIZE = 1000;
/** Bounds listing even if a server kept returning page tokens. */
const MAX_MODEL_PAGES = 20;

/** `{endpoint}/v1beta`, accepting an endpoint written with or without the version. */
function apiBase(endpoint: string | undefined): string {
  const base = (endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return base.endsWith('/v1beta') ? base : `${base}/v1beta`;
}

/** `models/{id}` unless the id already names a resource (`models/…`, `tunedModels/…`). */
function modelResource(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

export function createGeminiAdapter(provider: ProviderConfig): ProviderAdapter {
  const base = apiBase(provider.endpoint);
  const headers: Record<string, string> = { ...provider.config?.headers };
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

  async function listModels(options: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `pageSize=${MODEL_PAGE_SIZE}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const list = await callJson({
        request: httpRequest(`${base}/models?${query}`, options),
        parseError,
        parse: (body, response) => {
          if (body === undefined)
            throw protocolError(
              provider.id,
              'Gemini answered with a body that is not JSON',
              response.status,
            );
          if (!isGeminiModelList(body))
            throw protocolError(provider.id, 'Gemini model list has an unexpected shape');
          return body;
        },
      });
      for (const model of list.models ?? []) {
        const info = toModelInfo(model);
        if (info) models.push(info);
      }
      pageToken = list.nextPageToken;
      if (!pageToken) break;
    }
    return models;
  }

  return {
    providerId: provider.id,
    type: provider.type,

    async complete(call: AdapterCall): Promise<ChatResponse> {
      return await callJson({
        request: generateRequest(call, false),
        parseError,
        parse: (body, response) =>
          mapGeminiResponse(body, call.model, { provider: provider.id, status: response.status }),
      });
    },

    async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
      return await openStream({
        request: generateRequest(call, true),
        parseError,
        ...geminiStreamFormat({ provider: provider.id, model: call.model }),
      });
    },

    async probe(options: CallOptions): Promise<ProbeResult> {
      return await probeHttp({
        request: httpRequest(`${base}/models?pageSize=1`, options),
        parseError,
        check: 'GET /v1beta/models?pageSize=1',
      });
    },

    listModels,
  };
}

/** Chat-capable models only; ids without the `models/` prefix, as requests use them. */
function toModelInfo(model: GeminiModel): ModelInfo | undefined {
  if (typeof model.name !== 'string') return undefined;
  const methods = model.supportedGenerationMethods;
  if (Array.isArray(methods) && !methods.includes('generateContent')) return undefined;
  return {
    id: model.name.replace(/^models\//, ''),
    ownedBy: 'google',
    ...(typeof model.inputTokenLimit === 'number' ? { contextWindow: model.inputTokenLimit } : {}),
  };
}
