// The OpenAI Chat Completions adapter. OpenAI itself, Azure OpenAI and the local
// OpenAI-compatible servers are this one implementation with different URLs, auth headers,
// capabilities and error hints (`OpenAIChatModelSettings`).
import {
  mapOpenAIUsage,
  parseJsonSafe,
  UpstreamError,
  type AdapterCall,
  type CallOptions,
  type ChatChoice,
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
  headerValue,
  readText,
  sendRequest,
  type HttpRequest,
  type HttpResponse,
} from '../http/index.ts';
import {
  isJsonObject,
  isOpenAIErrorBody,
  numberField,
  readOpenAIError,
  stringField,
  type JsonObject,
  type OpenAIChatCompletionWire,
  type OpenAIChoiceWire,
  type OpenAIMessageWire,
  type OpenAIModelWire,
  type OpenAIToolCallWire,
} from './openai-api.ts';
import {
  convertToOpenAIRequest,
  FULL_OPENAI_CAPABILITIES,
  type OpenAIRequestCapabilities,
} from './convert-to-openai-request.ts';
import {
  classifyOpenAIError,
  openAIErrorFromResponse,
  type OpenAIErrorContext,
} from './openai-error.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-finish-reason.ts';
import { openAIStreamEvents } from './openai-stream.ts';
import {
  OPENAI_DEFAULT_ENDPOINT,
  openAISettingsSchema,
  type OpenAISettings,
} from './openai-settings.ts';

export interface OpenAIChatModelSettings {
  provider: ProviderConfig;
  /** The vendor's name in error messages, e.g. `OpenAI`, `LM Studio`. */
  vendor: string;
  /** The chat completions URL for a vendor model id (Azure puts the deployment in the path). */
  chatUrl: (model: string) => string;
  modelsUrl: string;
  /** The cheap liveness check: a GET that must answer 2xx. */
  probe: { url: string; check: string };
  /** Sent with every request: auth and configured extra headers. */
  headers: Readonly<Record<string, string>>;
  capabilities: OpenAIRequestCapabilities;
  /** Local servers: error texts meaning the model is not loaded yet. */
  modelLoading?: readonly RegExp[];
}

/** The OpenAI `/v1` base of an endpoint given with or without a trailing `/v1`. */
export function openAIBaseUrl(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function protocolError(
  context: OpenAIErrorContext,
  message: string,
  status?: number,
): UpstreamError {
  return new UpstreamError({
    kind: 'protocol',
    message: `${context.vendor}: ${message}`,
    provider: context.provider,
    status,
  });
}

function toToolCall(value: unknown, index: number): ToolCall | undefined {
  if (!isJsonObject(value)) return undefined;
  const call = value as OpenAIToolCallWire;
  if (!isJsonObject(call.function)) return undefined;
  const name = stringField(call.function, 'name');
  if (!name) return undefined;
  const rawArguments = call.function.arguments;
  // OpenAI sends a JSON string; some local servers send the object itself.
  const args = typeof rawArguments === 'string' ? rawArguments : JSON.stringify(rawArguments ?? {});
  return {
    id: typeof call.id === 'string' && call.id ? call.id : `call_${index}`,
    type: 'function',
    function: { name, arguments: args },
  };
}

function messageContent(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  let text = '';
  for (const part of content)
    if (isJsonObject(part) && typeof part.text === 'string') text += part.text;
  return text;
}

function toChoice(value: unknown, position: number): ChatChoice | undefined {
  if (!isJsonObject(value)) return undefined;
  const choice = value as OpenAIChoiceWire;
  const message: OpenAIMessageWire = isJsonObject(choice.message) ? choice.message : {};
  const toolCalls = Array.isArray(message.tool_calls)
    ? message.tool_calls.map(toToolCall).filter((call): call is ToolCall => call !== undefined)
    : [];
  return {
    index: typeof choice.index === 'number' ? choice.index : position,
    message: {
      role: 'assistant',
      content: messageContent(message.content),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      ...(typeof message.refusal === 'string' ? { refusal: message.refusal } : {}),
    },
    finishReason: mapOpenAICompatibleFinishReason(choice.finish_reason),
  };
}

/** Maps a 2xx `chat.completion` body; an error object or a body without `choices` is refused. */
export function toOpenAIChatResponse(
  body: unknown,
  model: string,
  context: OpenAIErrorContext,
): ChatResponse {
  if (!isJsonObject(body)) throw protocolError(context, 'the answer is not a JSON object');
  if (isOpenAIErrorBody(body)) throw classifyOpenAIError(readOpenAIError(body), context);
  const completion = body as OpenAIChatCompletionWire;
  if (!Array.isArray(completion.choices)) throw protocolError(context, 'the answer has no choices');
  const choices = completion.choices
    .map(toChoice)
    .filter((choice): choice is ChatChoice => choice !== undefined);
  const response: ChatResponse = {
    id: typeof completion.id === 'string' ? completion.id : '',
    created:
      typeof completion.created === 'number' ? completion.created : Math.floor(Date.now() / 1000),
    model: typeof completion.model === 'string' && completion.model ? completion.model : model,
    choices,
  };
  const usage = isJsonObject(completion.usage) ? mapOpenAIUsage(completion.usage) : undefined;
  if (usage) response.usage = usage;
  if (typeof completion.system_fingerprint === 'string')
    response.systemFingerprint = completion.system_fingerprint;
  return response;
}

function toModelInfo(value: unknown): ModelInfo | undefined {
  if (!isJsonObject(value)) return undefined;
  const model = value as OpenAIModelWire & JsonObject;
  const id = stringField(model, 'id');
  if (!id) return undefined;
  const info: ModelInfo = { id };
  const ownedBy = stringField(model, 'owned_by');
  if (ownedBy) info.ownedBy = ownedBy;
  const contextWindow =
    numberField(model, 'max_model_len') ??
    numberField(model, 'max_context_length') ??
    numberField(model, 'context_length');
  if (contextWindow !== undefined && contextWindow > 0) info.contextWindow = contextWindow;
  return info;
}

function isJsonAnswer(response: HttpResponse): boolean {
  return headerValue(response.headers, 'content-type')?.includes('application/json') ?? false;
}

export function createOpenAIChatModel(settings: OpenAIChatModelSettings): ProviderAdapter {
  const { provider, capabilities } = settings;
  const context: OpenAIErrorContext = {
    provider: provider.id,
    vendor: settings.vendor,
    ...(settings.modelLoading ? { modelLoading: settings.modelLoading } : {}),
  };
  const target = { provider: provider.id, vendor: settings.vendor, capabilities };
  const jsonHeaders: Readonly<Record<string, string>> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...settings.headers,
  };
  const streamHeaders: Readonly<Record<string, string>> = {
    ...jsonHeaders,
    accept: 'text/event-stream',
  };

  function chatRequest(call: AdapterCall, stream: boolean): HttpRequest {
    const body = convertToOpenAIRequest(call.request, call.model, stream, target);
    return {
      url: settings.chatUrl(call.model),
      method: 'POST',
      headers: stream ? streamHeaders : jsonHeaders,
      body: JSON.stringify(body),
      signal: call.options.signal,
      deadline: call.options.deadline,
      provider: provider.id,
    };
  }

  async function get(
    url: string,
    options: CallOptions,
  ): Promise<{ request: HttpRequest; response: HttpResponse }> {
    const request: HttpRequest = {
      url,
      method: 'GET',
      headers: settings.headers,
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
    const response = await sendRequest(request);
    if (response.status < 200 || response.status >= 300)
      throw await openAIErrorFromResponse(response, request, context);
    return { request, response };
  }

  return {
    providerId: provider.id,
    type: provider.type,

    async complete(call: AdapterCall): Promise<ChatResponse> {
      const request = chatRequest(call, false);
      const response = await sendRequest(request);
      if (response.status < 200 || response.status >= 300)
        throw await openAIErrorFromResponse(response, request, context);
      const text = await readText(response, request);
      return toOpenAIChatResponse(parseJsonSafe(text), call.model, context);
    },

    async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
      const request = chatRequest(call, true);
      const response = await sendRequest(request);
      if (response.status < 200 || response.status >= 300)
        throw await openAIErrorFromResponse(response, request, context);
      if (isJsonAnswer(response)) {
        // A JSON answer to a stream request is an error some servers send with 200, or a server
        // ignoring `stream`: either way it fails before the first token, so the router can move on.
        const text = await readText(response, request);
        const body = parseJsonSafe(text);
        if (isJsonObject(body) && isOpenAIErrorBody(body))
          throw classifyOpenAIError(readOpenAIError(body), context);
        throw protocolError(
          context,
          'expected an event stream, got a JSON answer',
          response.status,
        );
      }
      return openAIStreamEvents(response, request, context);
    },

    async probe(options: CallOptions): Promise<ProbeResult> {
      const started = performance.now();
      const { response } = await get(settings.probe.url, options);
      await discardBody(response);
      return {
        latencyMs: Math.round(performance.now() - started),
        check: settings.probe.check,
        status: response.status,
      };
    },

    async listModels(options: CallOptions): Promise<ModelInfo[]> {
      const { request, response } = await get(settings.modelsUrl, options);
      const body = parseJsonSafe(await readText(response, request));
      if (!isJsonObject(body) || !Array.isArray(body.data))
        throw protocolError(context, 'the model list has no data array', response.status);
      return body.data.map(toModelInfo).filter((model): model is ModelInfo => model !== undefined);
    },
  };
}

/** The `openai` provider type: Chat Completions at `{endpoint}/v1/chat/completions`. */
export function createOpenAIAdapter(
  provider: ProviderConfig,
  settings: OpenAISettings = openAISettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const base = openAIBaseUrl(provider.endpoint ?? OPENAI_DEFAULT_ENDPOINT);
  const headers: Record<string, string> = {};
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  if (settings.organization) headers['OpenAI-Organization'] = settings.organization;
  if (settings.project) headers['OpenAI-Project'] = settings.project;
  return createOpenAIChatModel({
    provider,
    vendor: 'OpenAI',
    chatUrl: () => `${base}/v1/chat/completions`,
    modelsUrl: `${base}/v1/models`,
    probe: { url: `${base}/v1/models`, check: 'GET /v1/models' },
    headers: { ...headers, ...settings.headers },
    capabilities: FULL_OPENAI_CAPABILITIES,
  });
}
