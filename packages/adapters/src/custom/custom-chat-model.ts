// The custom-endpoint adapter (seed type `custom`): any HTTP JSON API described declaratively by
// `config.customFormat` — URL, method, auth header, body template, answer paths, stream framing.
// The mapping is compiled once, when the adapter is built from the config.
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
  UpstreamError,
} from '@switchyard/core';
import {
  callJson,
  openStream,
  probeHttp,
  type ErrorParser,
  type HttpRequest,
} from '../http/index.ts';
import { convertToCustomRequest } from './convert-to-custom-request.ts';
import { createCustomEmbed } from './custom-embeddings.ts';
import { customErrorFromResponse } from './custom-error.ts';
import {
  compileCustomFormat,
  type CompiledAnswerPaths,
  type CompiledCustomFormat,
  type CompiledStreamFormat,
} from './custom-format.ts';
import { customSettingsSchema, type CustomSettings } from './custom-settings.ts';
import { customStreamFormat } from './custom-stream.ts';
import { mapCustomResponse } from './map-custom-response.ts';

const ABSOLUTE_URL = /^https?:\/\//i;

function requestUrl(
  endpoint: string | undefined,
  path: string | undefined,
  providerId: string,
): string {
  if (path && ABSOLUTE_URL.test(path)) return path;
  if (!endpoint)
    throw new Error(
      `provider ${providerId}: a custom endpoint needs an endpoint or an absolute customFormat.path`,
    );
  const base = endpoint.replace(/\/+$/, '');
  if (!path) return endpoint;
  return `${base}${path.startsWith('/') || path.startsWith('?') ? '' : '/'}${path}`;
}

function buildHeaders(
  provider: ProviderConfig,
  settings: CustomSettings,
  format: CompiledCustomFormat,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...settings.headers,
    ...format.headers,
  };
  if (provider.apiKey)
    headers[format.authHeader.toLowerCase()] = `${format.authPrefix}${provider.apiKey}`;
  return headers;
}

export function createCustomAdapter(
  provider: ProviderConfig,
  settings: CustomSettings = customSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const customFormat = settings.customFormat;
  if (!customFormat)
    throw new Error(`provider ${provider.id}: type custom needs config.customFormat`);
  const format = compileCustomFormat(customFormat);
  if (!format.response && !format.stream && !format.embeddings)
    throw new Error(`provider ${provider.id}: customFormat needs response, stream or embeddings`);
  const url = requestUrl(provider.endpoint, format.path, provider.id);
  const headers = buildHeaders(provider, settings, format);
  const streamHeaders = {
    ...headers,
    accept: format.stream?.framing === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream',
  };
  const probeUrl = provider.endpoint ?? new URL(url).origin;
  const noChat = (): UpstreamError =>
    new UpstreamError({
      kind: 'bad_request',
      status: 400,
      code: 'unsupported_parameter',
      retryable: false,
      provider: provider.id,
      message: `The custom endpoint ${provider.id} maps embeddings only, not chat`,
    });
  const target = { provider: provider.id, format };
  const parseError: ErrorParser = (response, bodyText) =>
    customErrorFromResponse(response, bodyText, provider.id);

  function httpRequest(call: AdapterCall, stream: boolean): HttpRequest {
    return {
      url,
      method: format.method,
      headers: stream ? streamHeaders : headers,
      body: JSON.stringify(convertToCustomRequest(call.request, call.model, stream, target)),
      signal: call.options.signal,
      deadline: call.options.deadline,
      provider: provider.id,
    };
  }

  function streamUpstream(
    call: AdapterCall,
    streamFormat: CompiledStreamFormat,
  ): Promise<AsyncIterable<StreamEvent>> {
    return openStream({
      request: httpRequest(call, true),
      parseError,
      ...customStreamFormat({ provider: provider.id, model: call.model, format: streamFormat }),
    });
  }

  function completeUpstream(call: AdapterCall, paths: CompiledAnswerPaths): Promise<ChatResponse> {
    return callJson({
      request: httpRequest(call, false),
      parseError,
      parse: (body, response) =>
        mapCustomResponse(body, call.model, {
          provider: provider.id,
          paths,
          status: response.status,
        }),
    });
  }

  /** A mapping with only a stream description answers non-stream calls by reading the whole stream. */
  async function completeFromStream(
    call: AdapterCall,
    streamFormat: CompiledStreamFormat,
  ): Promise<ChatResponse> {
    let text = '';
    const response: ChatResponse = {
      id: '',
      created: Math.floor(Date.now() / 1000),
      model: call.model,
      choices: [],
    };
    for await (const event of await streamUpstream(call, streamFormat)) {
      if (event.type === 'start') response.id = event.id;
      else if (event.type === 'text-delta') text += event.text;
      else if (event.type === 'usage') response.usage = event.usage;
      else if (event.type === 'finish')
        response.choices.push({
          index: 0,
          message: { role: 'assistant', content: text },
          finishReason: event.reason,
        });
      else if (event.type === 'error') throw event.error;
    }
    return response;
  }

  /** A mapping without a stream description streams its whole answer as one delta. */
  async function* streamFromComplete(answer: Promise<ChatResponse>): AsyncGenerator<StreamEvent> {
    const response = await answer;
    yield { type: 'start', id: response.id, model: response.model, created: response.created };
    const choice = response.choices[0];
    if (choice?.message.content)
      yield { type: 'text-delta', choiceIndex: 0, text: choice.message.content };
    if (response.usage) yield { type: 'usage', usage: response.usage };
    if (choice) yield { type: 'finish', choiceIndex: 0, reason: choice.finishReason };
  }

  async function complete(call: AdapterCall): Promise<ChatResponse> {
    if (format.response) return completeUpstream(call, format.response);
    if (format.stream) return completeFromStream(call, format.stream);
    throw noChat();
  }

  async function stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    if (format.stream) return streamUpstream(call, format.stream);
    // settled before returning, so a failed call rejects here and the router can fail over
    if (format.response) {
      const answer = await completeUpstream(call, format.response);
      return streamFromComplete(Promise.resolve(answer));
    }
    throw noChat();
  }

  /**
   * Custom APIs have no known cheap call, so the probe asks the endpoint itself: any answer short
   * of a server error or a refused key proves it is up (the seed's `healthCheck` is the precise check).
   */
  async function probe(options: CallOptions): Promise<ProbeResult> {
    return await probeHttp({
      request: {
        url: probeUrl,
        method: 'GET',
        headers,
        signal: options.signal,
        deadline: options.deadline,
        provider: provider.id,
      },
      parseError,
      check: `GET ${new URL(probeUrl).pathname}`,
      healthy: (status) => status < 500 && status !== 401 && status !== 403 && status !== 429,
    });
  }

  /** The models this provider is configured with: custom APIs have no model list to ask. */
  function listModels(): Promise<ModelInfo[]> {
    return Promise.resolve(
      provider.models.map((model) => ({
        id: model.id ?? model.name,
        ...(model.contextWindow ? { contextWindow: model.contextWindow } : {}),
        ...(model.kind ? { kind: model.kind } : {}),
        ...(model.dimensions ? { dimensions: model.dimensions } : {}),
      })),
    );
  }

  const embed = format.embeddings
    ? createCustomEmbed({
        provider: provider.id,
        url: requestUrl(provider.endpoint, format.embeddings.path, provider.id),
        method: format.method,
        headers,
        format: format.embeddings,
        parseError,
      })
    : undefined;

  return {
    providerId: provider.id,
    type: provider.type,
    complete,
    stream,
    probe,
    listModels,
    ...(embed ? { embed } : {}),
  };
}
