// The OpenAI Chat Completions adapter. OpenAI itself, Azure OpenAI and the local
// OpenAI-compatible servers are this one implementation with different URLs, auth headers,
// capabilities and error hints (`OpenAIChatModelSettings`).
import {
  parseJsonSafe,
  type AdapterCall,
  type CallOptions,
  type ModelInfo,
  type ProviderAdapter,
  type ProviderConfig,
} from '@switchyard/core';
import {
  callJson,
  createChatModel,
  headerValue,
  readText,
  type ErrorParser,
  type HttpRequest,
  type HttpResponse,
} from '../http/index.ts';
import { isJsonObject, numberField, stringField, type JsonObject } from '../shared/index.ts';
import { isOpenAIErrorBody, readOpenAIError, type OpenAIModelWire } from './openai-api.ts';
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
import { mapOpenAIResponse, openAIProtocolError } from './map-openai-response.ts';
import { withResponsesPassThrough } from './openai-responses.ts';
import { openAIStreamFormat } from './openai-stream.ts';
import { createOpenAIEmbed, embeddingsUrlFor } from './openai-embeddings.ts';
import {
  completionsUrlFor,
  OPENAI_COMPLETION_MODELS,
  withLegacyCompletions,
} from './openai-completions.ts';
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
  /** Where the vendor serves the Responses API natively (OpenAI, Azure); Responses calls go there. */
  responsesUrl?: string;
  /** Whether a vendor model serves the legacy Completions API (default: every model does). */
  legacyCompletions?: (model: string) => boolean;
}

/** The OpenAI `/v1` base of an endpoint given with or without a trailing `/v1`. */
export function openAIBaseUrl(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** OpenAI names its embedding models `text-embedding-…` (ada-002, 3-small, 3-large). */
const OPENAI_EMBEDDING_ID = /^text-embedding-/;

export function openAIModelInfo(value: unknown): ModelInfo | undefined {
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
  if (OPENAI_EMBEDDING_ID.test(id)) info.kind = 'embedding';
  return info;
}

function isJsonAnswer(response: HttpResponse): boolean {
  return headerValue(response.headers, 'content-type')?.includes('application/json') ?? false;
}

/**
 * A JSON answer to a stream request is an error some servers send with 200, or a server ignoring
 * `stream`: either way it fails before the first token, so the router can move on.
 */
async function refuseJsonAnswer(
  response: HttpResponse,
  request: HttpRequest,
  context: OpenAIErrorContext,
): Promise<void> {
  if (!isJsonAnswer(response)) return;
  const body = parseJsonSafe(await readText(response, request));
  if (isJsonObject(body) && isOpenAIErrorBody(body))
    throw classifyOpenAIError(readOpenAIError(body), context);
  throw openAIProtocolError(
    context,
    'expected an event stream, got a JSON answer',
    response.status,
  );
}

export function createOpenAIChatModel(settings: OpenAIChatModelSettings): ProviderAdapter {
  const { provider, capabilities } = settings;
  const context: OpenAIErrorContext = {
    provider: provider.id,
    vendor: settings.vendor,
    ...(settings.modelLoading ? { modelLoading: settings.modelLoading } : {}),
  };
  const target = { provider: provider.id, vendor: settings.vendor, capabilities };
  const parseError: ErrorParser = (response, bodyText) =>
    openAIErrorFromResponse(response, bodyText, context);
  const jsonHeaders: Readonly<Record<string, string>> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...settings.headers,
  };
  const streamHeaders: Readonly<Record<string, string>> = {
    ...jsonHeaders,
    accept: 'text/event-stream',
  };
  const streamFormat = openAIStreamFormat(context);

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

  function getRequest(url: string, options: CallOptions): HttpRequest {
    return {
      url,
      method: 'GET',
      headers: settings.headers,
      signal: options.signal,
      deadline: options.deadline,
      provider: provider.id,
    };
  }

  const embed = createOpenAIEmbed({
    url: embeddingsUrlFor(settings.chatUrl),
    headers: settings.headers,
    parseError,
    context,
  });
  const chatModel = createChatModel({
    provider,
    parseError,
    chatRequest,
    mapResponse: (body, call) => mapOpenAIResponse(body, call.model, context),
    streamFormat: () => streamFormat,
    acceptStream: (response, request) => refuseJsonAnswer(response, request, context),
    probe: {
      request: (options) => getRequest(settings.probe.url, options),
      check: settings.probe.check,
    },
    listModels: (options) =>
      callJson({
        request: getRequest(settings.modelsUrl, options),
        parseError,
        parse: (body, response) => {
          if (!isJsonObject(body) || !Array.isArray(body.data))
            throw openAIProtocolError(context, 'the model list has no data array', response.status);
          return body.data
            .map(openAIModelInfo)
            .filter((model): model is ModelInfo => model !== undefined);
        },
      }),
  });
  const legacy = {
    offers: settings.legacyCompletions,
    url: completionsUrlFor(settings.chatUrl),
    headers: settings.headers,
    parseError,
    context,
  };
  const adapter = withLegacyCompletions({ ...chatModel, embed }, legacy);
  const { responsesUrl } = settings;
  return responsesUrl
    ? withResponsesPassThrough(adapter, {
        url: responsesUrl,
        headers: settings.headers,
        context,
        parseError,
      })
    : adapter;
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
    responsesUrl: `${base}/v1/responses`,
    legacyCompletions: (model) => OPENAI_COMPLETION_MODELS.test(model),
  });
}
