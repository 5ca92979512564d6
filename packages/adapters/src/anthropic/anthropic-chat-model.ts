// The Anthropic Messages API adapter: `POST /v1/messages` (plain and SSE), `GET /v1/models` for the
// probe and the model list, `x-api-key` + `anthropic-version` auth.
import {
  type AdapterCall,
  type CallOptions,
  type ChatResponse,
  type ModelInfo,
  type ProbeResult,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamCallOptions,
  type StreamEvent,
} from '@switchyard/core';
import {
  callJson,
  openStream,
  probeHttp,
  type ErrorParser,
  type HttpRequest,
} from '../http/index.ts';
import { protocolError } from '../shared/index.ts';
import { readAnthropicModelPage } from './anthropic-api.ts';
import { anthropicErrorFromResponse } from './anthropic-error.ts';
import { anthropicStreamFormat } from './anthropic-stream.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
const DEFAULT_ENDPOINT = 'https://api.anthropic.com';
/** Largest page the models endpoint serves, and a bound on how many pages a listing reads. */
const MODELS_PAGE_SIZE = 1000;
const MAX_MODEL_PAGES = 20;

/** The endpoint without a trailing slash or `/v1`, so both `https://api.anthropic.com` and `…/v1` work. */
function baseUrl(endpoint: string | undefined): string {
  return (endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function createAnthropicAdapter(provider: ProviderConfig): ProviderAdapter {
  const settings = provider.config ?? {};
  const base = baseUrl(provider.endpoint);
  const target = {
    provider: provider.id,
    defaultMaxTokens: settings.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
  };
  const headers: Record<string, string> = {
    ...settings.headers,
    'anthropic-version': settings.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
    ...(provider.apiKey ? { 'x-api-key': provider.apiKey } : {}),
  };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const parseError: ErrorParser = (response, bodyText) =>
    anthropicErrorFromResponse(response, bodyText, provider.id);

  function httpRequest(path: string, options: CallOptions, body?: string): HttpRequest {
    return {
      url: base + path,
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : jsonHeaders,
      body,
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
  }

  function messagesRequest(call: AdapterCall, stream: boolean): HttpRequest {
    const body = convertToAnthropicRequest(call.request, call.model, stream, target);
    return httpRequest('/v1/messages', call.options, JSON.stringify(body));
  }

  async function listModels(options: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let afterId: string | null = null;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query: string = afterId === null ? '' : `&after_id=${encodeURIComponent(afterId)}`;
      const listing = await callJson({
        request: httpRequest(`/v1/models?limit=${MODELS_PAGE_SIZE}${query}`, options),
        parseError,
        parse: (body) => {
          const models = readAnthropicModelPage(body);
          if (!models)
            throw protocolError(
              provider.id,
              'Anthropic answered 200 with a body that is not a model list',
            );
          return models;
        },
      });
      for (const model of listing.data) models.push({ id: model.id, ownedBy: 'anthropic' });
      if (!listing.has_more || listing.last_id === null) break;
      afterId = listing.last_id;
    }
    return models;
  }

  return {
    providerId: provider.id,
    type: provider.type,

    async complete(call: AdapterCall): Promise<ChatResponse> {
      return await callJson({
        request: messagesRequest(call, false),
        parseError,
        parse: (body) => mapAnthropicResponse(body, call.model, target),
      });
    },

    async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
      return await openStream({
        request: messagesRequest(call, true),
        parseError,
        ...anthropicStreamFormat({ provider: provider.id, model: call.model }),
      });
    },

    async probe(options: CallOptions): Promise<ProbeResult> {
      return await probeHttp({
        request: httpRequest('/v1/models?limit=1', options),
        parseError,
        check: 'GET /v1/models',
      });
    },

    listModels,
  };
}
