// The Google Gemini adapter (seed type `gcp`, alias `gemini`): native generateContent /
// streamGenerateContent with an `x-goog-api-key` header, model listing and a cheap probe.
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
import { isGeminiModelList, isGeminiResponse, type GeminiModel } from './gemini-api.ts';
import { geminiErrorFromResponse } from './gemini-error.ts';
import { toGeminiRequest } from './gemini-request.ts';
import { toChatResponse } from './gemini-response.ts';
import { geminiStreamEvents } from './gemini-stream.ts';
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

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const response = await sendRequest(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw geminiErrorFromResponse(response, await readText(response, request), provider.id);
  }

  async function readJson(response: HttpResponse, request: HttpRequest): Promise<unknown> {
    const text = await readText(response, request);
    const json = parseJsonSafe(text);
    if (json === undefined)
      throw new UpstreamError({
        kind: 'protocol',
        message: 'Gemini answered with a body that is not JSON',
        provider: provider.id,
        status: response.status,
      });
    return json;
  }

  async function complete(call: AdapterCall): Promise<ChatResponse> {
    const body = JSON.stringify(toGeminiRequest(call.request, provider.id));
    const request = httpRequest(
      `${base}/${modelResource(call.model)}:generateContent`,
      call.options,
      body,
    );
    const response = await send(request);
    const json = await readJson(response, request);
    if (!isGeminiResponse(json))
      throw new UpstreamError({
        kind: 'protocol',
        message: 'Gemini answer is not a GenerateContentResponse',
        provider: provider.id,
      });
    return toChatResponse(json, call.model, provider.id);
  }

  async function stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    const body = JSON.stringify(toGeminiRequest(call.request, provider.id));
    const request = httpRequest(
      `${base}/${modelResource(call.model)}:streamGenerateContent?alt=sse`,
      call.options,
      body,
    );
    const response = await send(request);
    return geminiStreamEvents({ response, request, model: call.model });
  }

  async function probe(options: CallOptions): Promise<ProbeResult> {
    const started = Date.now();
    const request = httpRequest(`${base}/models?pageSize=1`, options);
    const response = await send(request);
    await readText(response, request);
    return {
      latencyMs: Date.now() - started,
      check: 'GET /v1beta/models?pageSize=1',
      status: response.status,
    };
  }

  async function listModels(options: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = `pageSize=${MODEL_PAGE_SIZE}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
      const request = httpRequest(`${base}/models?${query}`, options);
      const json = await readJson(await send(request), request);
      if (!isGeminiModelList(json))
        throw new UpstreamError({
          kind: 'protocol',
          message: 'Gemini model list has an unexpected shape',
          provider: provider.id,
        });
      for (const model of json.models ?? []) {
        const info = toModelInfo(model);
        if (info) models.push(info);
      }
      pageToken = json.nextPageToken;
      if (!pageToken) break;
    }
    return models;
  }

  return { providerId: provider.id, type: provider.type, complete, stream, probe, listModels };
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
