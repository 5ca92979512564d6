// The Anthropic Messages API adapter: `POST /v1/messages` (plain and SSE), `GET /v1/models` for the
// probe and the model list, `x-api-key` + `anthropic-version` auth.
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
  type ToolCall,
} from '@switchyard/core';
import {
  discardBody,
  readText,
  sendRequest,
  type HttpRequest,
  type HttpResponse,
} from '../http/index.ts';
import {
  readAnthropicMessage,
  readAnthropicModelPage,
  type AnthropicMessage,
} from './anthropic-api.ts';
import { anthropicErrorFromResponse } from './anthropic-error.ts';
import { buildAnthropicRequest } from './anthropic-request.ts';
import { readAnthropicStream } from './anthropic-stream.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';
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

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The endpoint without a trailing slash or `/v1`, so both `https://api.anthropic.com` and `…/v1` work. */
function baseUrl(endpoint: string | undefined): string {
  return (endpoint ?? ANTHROPIC_DEFAULT_ENDPOINT).replace(/\/+$/, '').replace(/\/v1$/, '');
}

export class AnthropicChatModel implements ProviderAdapter {
  readonly providerId: string;
  readonly type: string;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly defaultMaxTokens: number;

  constructor(provider: ProviderConfig, settings: AnthropicSettings) {
    this.providerId = provider.id;
    this.type = provider.type;
    this.baseUrl = baseUrl(provider.endpoint);
    this.defaultMaxTokens = settings.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
    this.headers = {
      ...settings.headers,
      'anthropic-version': settings.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
      ...(provider.apiKey ? { 'x-api-key': provider.apiKey } : {}),
    };
  }

  async complete(call: AdapterCall): Promise<ChatResponse> {
    const body = buildAnthropicRequest(call.request, this.requestOptions(call.model, false));
    const request = this.request('/v1/messages', call.options, JSON.stringify(body));
    const response = await this.send(request);
    const text = await readText(response, request);
    const message = readAnthropicMessage(parseJsonSafe(text));
    if (!message)
      throw this.protocolError('Anthropic answered 200 with a body that is not a message');
    return toChatResponse(message, call.model);
  }

  async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    const body = buildAnthropicRequest(call.request, this.requestOptions(call.model, true));
    const request = this.request('/v1/messages', call.options, JSON.stringify(body));
    const response = await this.send(request);
    return readAnthropicStream(response, { ...request, model: call.model });
  }

  async probe(options: CallOptions): Promise<ProbeResult> {
    const started = performance.now();
    const response = await this.send(this.request('/v1/models?limit=1', options));
    await discardBody(response);
    return {
      latencyMs: Math.round(performance.now() - started),
      check: 'GET /v1/models',
      status: response.status,
    };
  }

  async listModels(options: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let afterId: string | null = null;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query: string = afterId === null ? '' : `&after_id=${encodeURIComponent(afterId)}`;
      const request = this.request(`/v1/models?limit=${MODELS_PAGE_SIZE}${query}`, options);
      const response = await this.send(request);
      const listing = readAnthropicModelPage(parseJsonSafe(await readText(response, request)));
      if (!listing)
        throw this.protocolError('Anthropic answered 200 with a body that is not a model list');
      for (const model of listing.data) models.push({ id: model.id, ownedBy: 'anthropic' });
      if (!listing.has_more || listing.last_id === null) break;
      afterId = listing.last_id;
    }
    return models;
  }

  private requestOptions(model: string, stream: boolean) {
    return { model, stream, defaultMaxTokens: this.defaultMaxTokens, provider: this.providerId };
  }

  private request(path: string, options: CallOptions, body?: string): HttpRequest {
    return {
      url: this.baseUrl + path,
      method: body === undefined ? 'GET' : 'POST',
      headers:
        body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
      body,
      signal: options.signal,
      deadline: options.deadline,
      provider: this.providerId,
    };
  }

  /** Sends and resolves with a 2xx response; any other status is read, classified and thrown. */
  private async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await sendRequest(request);
    if (isSuccess(response.status)) return response;
    throw anthropicErrorFromResponse(response, await readText(response, request), this.providerId);
  }

  private protocolError(message: string): UpstreamError {
    return new UpstreamError({ kind: 'protocol', message, provider: this.providerId });
  }
}

function toChatResponse(message: AnthropicMessage, requestedModel: string): ChatResponse {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && block.text) text += block.text;
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? '',
        type: 'function',
        function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return {
    id: message.id,
    created: Math.floor(Date.now() / 1000),
    model: message.model || requestedModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text.length === 0 && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finishReason: mapAnthropicFinishReason(message.stop_reason),
      },
    ],
    usage: mapAnthropicUsage(message.usage),
  };
}

export function createAnthropicAdapter(
  provider: ProviderConfig,
  settings: AnthropicSettings = anthropicSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  return new AnthropicChatModel(provider, settings);
}
