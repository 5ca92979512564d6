// The custom-endpoint adapter (seed type `custom`): any HTTP JSON API described declaratively by
// `config.customFormat` — URL, method, auth header, body template, answer paths, stream framing.
// The mapping is compiled once, when the adapter is built from the config.
import {
  parseJsonSafe,
  UpstreamError,
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
import { readText, sendRequest, type HttpRequest, type HttpResponse } from '../http/index.ts';
import { customErrorFromResponse } from './custom-error.ts';
import {
  compileCustomFormat,
  type CompiledAnswerPaths,
  type CompiledCustomFormat,
  type CompiledStreamFormat,
} from './custom-format.ts';
import { customSettingsSchema, type CustomSettings } from './custom-settings.ts';
import { toCustomBody } from './custom-request.ts';
import { toChatResponse } from './custom-response.ts';
import { customStreamEvents } from './custom-stream.ts';

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
  if (!format.response && !format.stream)
    throw new Error(`provider ${provider.id}: customFormat needs response or stream`);
  const url = requestUrl(provider.endpoint, format.path, provider.id);
  const headers = buildHeaders(provider, settings, format);
  const streamHeaders = {
    ...headers,
    accept: format.stream?.framing === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream',
  };
  const probeUrl = provider.endpoint ?? new URL(url).origin;

  function httpRequest(
    options: CallOptions,
    body: unknown,
    requestHeaders: Record<string, string>,
  ): HttpRequest {
    return {
      url,
      method: format.method,
      headers: requestHeaders,
      body: JSON.stringify(body),
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
  }

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const response = await sendRequest(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw customErrorFromResponse(response, await readText(response, request), provider.id);
  }

  async function streamUpstream(
    call: AdapterCall,
    streamFormat: CompiledStreamFormat,
  ): Promise<AsyncGenerator<StreamEvent>> {
    const request = httpRequest(
      call.options,
      toCustomBody(format, call.request, call.model, true, provider.id),
      streamHeaders,
    );
    const response = await send(request);
    return customStreamEvents({ response, request, model: call.model, format: streamFormat });
  }

  async function completeUpstream(
    call: AdapterCall,
    paths: CompiledAnswerPaths,
  ): Promise<ChatResponse> {
    const request = httpRequest(
      call.options,
      toCustomBody(format, call.request, call.model, false, provider.id),
      headers,
    );
    const response = await send(request);
    const json = parseJsonSafe(await readText(response, request));
    if (json === undefined)
      throw new UpstreamError({
        kind: 'protocol',
        message: `${provider.id}: the answer is not JSON`,
        provider: provider.id,
        status: response.status,
      });
    return toChatResponse(json, paths, call.model, provider.id);
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
    throw new Error(`provider ${provider.id}: customFormat needs response or stream`);
  }

  async function stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    if (format.stream) return streamUpstream(call, format.stream);
    // settled before returning, so a failed call rejects here and the router can fail over
    if (format.response) {
      const answer = await completeUpstream(call, format.response);
      return streamFromComplete(Promise.resolve(answer));
    }
    throw new Error(`provider ${provider.id}: customFormat needs response or stream`);
  }

  /**
   * Custom APIs have no known cheap call, so the probe asks the endpoint itself: any answer short
   * of a server error or a refused key proves it is up (the seed's `healthCheck` is the precise check).
   */
  async function probe(options: CallOptions): Promise<ProbeResult> {
    const started = Date.now();
    const request: HttpRequest = {
      url: probeUrl,
      method: 'GET',
      headers,
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
    const response = await sendRequest(request);
    const body = await readText(response, request);
    if (
      response.status >= 500 ||
      response.status === 401 ||
      response.status === 403 ||
      response.status === 429
    )
      throw customErrorFromResponse(response, body, provider.id);
    return {
      latencyMs: Date.now() - started,
      check: `GET ${new URL(probeUrl).pathname}`,
      status: response.status,
    };
  }

  /** The models this provider is configured with: custom APIs have no model list to ask. */
  function listModels(): Promise<ModelInfo[]> {
    return Promise.resolve(
      provider.models.map((model) => ({
        id: model.id ?? model.name,
        ...(model.contextWindow ? { contextWindow: model.contextWindow } : {}),
      })),
    );
  }

  return { providerId: provider.id, type: provider.type, complete, stream, probe, listModels };
}
