// The Cohere adapter: v2 chat (`POST /v2/chat`, bearer auth, SSE streaming), model listing and a
// cheap probe on the models endpoint.
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
import { isCohereModelList, isCohereResponse, type CohereModelList } from './cohere-api.ts';
import { cohereErrorFromResponse } from './cohere-error.ts';
import { toCohereRequest } from './cohere-request.ts';
import { toChatResponse } from './cohere-response.ts';
import { cohereStreamEvents } from './cohere-stream.ts';
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

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const response = await sendRequest(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw cohereErrorFromResponse(response, await readText(response, request), provider.id);
  }

  async function readJson(response: HttpResponse, request: HttpRequest): Promise<unknown> {
    const json = parseJsonSafe(await readText(response, request));
    if (json === undefined)
      throw new UpstreamError({
        kind: 'protocol',
        message: 'Cohere answered with a body that is not JSON',
        provider: provider.id,
        status: response.status,
      });
    return json;
  }

  async function complete(call: AdapterCall): Promise<ChatResponse> {
    const body = JSON.stringify(toCohereRequest(call.request, call.model, false, provider.id));
    const request = httpRequest(`${base}/v2/chat`, call.options, body, jsonHeaders);
    const response = await send(request);
    const json = await readJson(response, request);
    if (!isCohereResponse(json))
      throw new UpstreamError({
        kind: 'protocol',
        message: 'Cohere answer is not a ChatResponse',
        provider: provider.id,
      });
    return toChatResponse(json, call.model, provider.id);
  }

  async function stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    const body = JSON.stringify(toCohereRequest(call.request, call.model, true, provider.id));
    const request = httpRequest(`${base}/v2/chat`, call.options, body, streamHeaders);
    const response = await send(request);
    return cohereStreamEvents({ response, request, model: call.model });
  }

  async function probe(options: CallOptions): Promise<ProbeResult> {
    const started = Date.now();
    const request = httpRequest(`${base}/v1/models?page_size=1`, options);
    const response = await send(request);
    await readText(response, request);
    return {
      latencyMs: Date.now() - started,
      check: 'GET /v1/models?page_size=1',
      status: response.status,
    };
  }

  async function listModels(options: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `endpoint=chat&page_size=${MODEL_PAGE_SIZE}${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
      const request = httpRequest(`${base}/v1/models?${query}`, options);
      const json = await readJson(await send(request), request);
      if (!isCohereModelList(json))
        throw new UpstreamError({
          kind: 'protocol',
          message: 'Cohere model list has an unexpected shape',
          provider: provider.id,
        });
      for (const model of json.models ?? []) {
        const info = toModelInfo(model);
        if (info) models.push(info);
      }
      pageToken = json.next_page_token;
      if (!pageToken) break;
    }
    return models;
  }

  return { providerId: provider.id, type: provider.type, complete, stream, probe, listModels };
}

function toModelInfo(model: NonNullable<CohereModelList['models']>[number]): ModelInfo | undefined {
  if (typeof model.name !== 'string') return undefined;
  return {
    id: model.name,
    ownedBy: 'cohere',
    ...(typeof model.context_length === 'number' ? { contextWindow: model.context_length } : {}),
  };
}
