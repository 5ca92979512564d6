// The Anthropic Messages API adapter: `POST /v1/messages` (plain and SSE), `GET /v1/models` for the
// probe and the model list, `x-api-key` + `anthropic-version` auth.
import {
  withModel,
  type AdapterCall,
  type CallOptions,
  type NativeRequest,
  type ProviderAdapter,
  type ProviderConfig,
} from '@switchyard/core';
import {
  callJson,
  createChatModel,
  listModelPages,
  type ErrorParser,
  type HttpRequest,
  type ModelPage,
} from '../http/index.ts';
import { protocolError } from '../shared/index.ts';
import { readAnthropicModelPage } from './anthropic-api.ts';
import { anthropicErrorFromResponse } from './anthropic-error.ts';
import {
  completeNativeMessages,
  nativeMessages,
  nativeMessagesStreamFormat,
  countTokensBody,
  keepingMessagesError,
  readInputTokens,
} from './anthropic-messages-native.ts';
import { anthropicStreamFormat } from './anthropic-stream.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';
import {
  ANTHROPIC_DEFAULT_ENDPOINT,
  anthropicSettingsSchema,
  type AnthropicSettings,
} from './anthropic-settings.ts';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
/** Largest page the models endpoint serves, and a bound on how many pages a listing reads. */
const MODELS_PAGE_SIZE = 1000;
const MAX_MODEL_PAGES = 20;

/** The endpoint without a trailing slash or `/v1`, so both `https://api.anthropic.com` and `…/v1` work. */
function baseUrl(endpoint: string | undefined): string {
  return (endpoint ?? ANTHROPIC_DEFAULT_ENDPOINT).replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function createAnthropicAdapter(
  provider: ProviderConfig,
  settings: AnthropicSettings = anthropicSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
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
  // Anthropic's error bodies are the Messages envelope whichever dialect the client spoke.
  const parseError: ErrorParser = keepingMessagesError((response, bodyText) =>
    anthropicErrorFromResponse(response, bodyText, provider.id),
  );

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

  /** A Messages client's own body: forwarded as it came, with its anthropic-version / -beta. */
  function nativeRequest(path: string, call: AdapterCall, native: NativeRequest): HttpRequest {
    return {
      ...httpRequest(path, call.options, withModel(native.body, call.model)),
      headers: { ...jsonHeaders, ...native.headers },
    };
  }

  function messagesRequest(call: AdapterCall, stream: boolean): HttpRequest {
    const native = nativeMessages(call);
    if (native) return nativeRequest('/v1/messages', call, native);
    const body = convertToAnthropicRequest(call.request, call.model, stream, target);
    return httpRequest('/v1/messages', call.options, JSON.stringify(body));
  }

  function readModelPage(options: CallOptions, afterId: string | undefined): Promise<ModelPage> {
    const query = afterId === undefined ? '' : `&after_id=${encodeURIComponent(afterId)}`;
    return callJson({
      request: httpRequest(`/v1/models?limit=${MODELS_PAGE_SIZE}${query}`, options),
      parseError,
      parse: (body) => {
        const listing = readAnthropicModelPage(body);
        if (!listing)
          throw protocolError(
            provider.id,
            'Anthropic answered 200 with a body that is not a model list',
          );
        return {
          models: listing.data.map((model) => ({ id: model.id, ownedBy: 'anthropic' })),
          ...(listing.has_more && listing.last_id !== null ? { next: listing.last_id } : {}),
        };
      },
    });
  }

  const adapter = createChatModel({
    provider,
    parseError,
    chatRequest: messagesRequest,
    mapResponse: (body, call) => mapAnthropicResponse(body, call.model, target),
    streamFormat: (call) =>
      (nativeMessages(call) ? nativeMessagesStreamFormat : anthropicStreamFormat)({
        provider: provider.id,
        model: call.model,
      }),
    probe: {
      request: (options) => httpRequest('/v1/models?limit=1', options),
      check: 'GET /v1/models',
    },
    listModels: (options) =>
      listModelPages((afterId) => readModelPage(options, afterId), MAX_MODEL_PAGES),
  });
  return {
    ...adapter,
    complete: (call) =>
      nativeMessages(call)
        ? completeNativeMessages(messagesRequest(call, false), parseError, call)
        : adapter.complete(call),
    countTokens: async (call) => {
      const native = nativeMessages(call);
      // Another dialect's request is counted as its translation, in the fields count_tokens takes.
      const request = native
        ? nativeRequest('/v1/messages/count_tokens', call, native)
        : httpRequest(
            '/v1/messages/count_tokens',
            call.options,
            JSON.stringify(
              countTokensBody(convertToAnthropicRequest(call.request, call.model, false, target)),
            ),
          );
      return await callJson({
        request,
        parseError,
        parse: (body) => readInputTokens(body, provider.id),
      });
    },
  };
}
