// The AWS Bedrock adapter: Converse and ConverseStream on the runtime endpoint, ListFoundationModels
// on the control plane for the probe and the model list, SigV4 or Bedrock API key auth.
import { randomUUID } from 'node:crypto';
import {
  ConfigError,
  parseJsonSafe,
  UpstreamError,
  type AdapterCall,
  type CallOptions,
  type ChatResponse,
  type FinishReason,
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
  readConverseResponse,
  readFoundationModels,
  type ConverseResponse,
} from './bedrock-api.ts';
import { bearerAuth, sigV4Auth, type BedrockAuth } from './bedrock-auth.ts';
import { bedrockErrorFromResponse } from './bedrock-error.ts';
import { buildConverseRequest } from './bedrock-request.ts';
import {
  bedrockRuntimeEndpoint,
  bedrockSettingsIssues,
  bedrockSettingsSchema,
  regionFromBedrockEndpoint,
  type BedrockSettings,
} from './bedrock-settings.ts';
import { readBedrockStream } from './bedrock-stream.ts';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

const EVENT_STREAM = 'application/vnd.amazon.eventstream';
/** Chat models only: the listing is filtered to text output. */
const FOUNDATION_MODELS_PATH = '/foundation-models?byOutputModality=TEXT';

interface BedrockEndpoints {
  runtime: string;
  controlPlane: string;
  region: string;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function resolveEndpoints(provider: ProviderConfig, settings: BedrockSettings): BedrockEndpoints {
  const region = settings.region ?? regionFromBedrockEndpoint(provider.endpoint);
  // bedrockSettingsIssues, checked first, makes sure there is one.
  if (!region) throw new Error(`provider ${provider.id}: no Bedrock region`);
  const runtime = provider.endpoint ?? bedrockRuntimeEndpoint(region);
  const controlPlane = settings.controlPlaneEndpoint ?? `https://bedrock.${region}.amazonaws.com`;
  return { runtime: trimSlash(runtime), controlPlane: trimSlash(controlPlane), region };
}

function resolveAuth(
  provider: ProviderConfig,
  settings: BedrockSettings,
  region: string,
): BedrockAuth {
  // bedrockSettingsIssues, checked first, makes sure the credentials are there.
  if (settings.authMode === 'bearer') return bearerAuth(provider.apiKey ?? '');
  return sigV4Auth(
    {
      accessKeyId: provider.apiKey ?? '',
      secretAccessKey: settings.secretKey ?? '',
      sessionToken: settings.sessionToken,
    },
    region,
  );
}

export class BedrockChatModel implements ProviderAdapter {
  readonly providerId: string;
  readonly type: string;
  private readonly endpoints: BedrockEndpoints;
  private readonly auth: BedrockAuth;

  constructor(provider: ProviderConfig, settings: BedrockSettings) {
    this.providerId = provider.id;
    this.type = provider.type;
    const issues = bedrockSettingsIssues(provider, settings);
    if (issues.length > 0) throw new ConfigError(issues, `provider ${provider.id}`);
    this.endpoints = resolveEndpoints(provider, settings);
    this.auth = resolveAuth(provider, settings, this.endpoints.region);
  }

  async complete(call: AdapterCall): Promise<ChatResponse> {
    const body = JSON.stringify(buildConverseRequest(call.request, this.providerId));
    const request = await this.request(
      'POST',
      this.runtimeUrl(call.model, 'converse'),
      call.options,
      'application/json',
      body,
    );
    const response = await this.send(request);
    const converse = readConverseResponse(parseJsonSafe(await readText(response, request)));
    if (!converse)
      throw this.protocolError('Bedrock answered 200 with a body that is not a Converse response');
    const reason = mapBedrockFinishReason(converse.stopReason);
    if (reason.unified === 'error') {
      throw new UpstreamError({
        kind: 'server',
        message: `Bedrock model produced unusable output (${reason.raw ?? 'unknown'})`,
        provider: this.providerId,
        code: reason.raw ?? undefined,
      });
    }
    return toChatResponse(converse, reason, requestId(response), call.model);
  }

  async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    const body = JSON.stringify(buildConverseRequest(call.request, this.providerId));
    const request = await this.request(
      'POST',
      this.runtimeUrl(call.model, 'converse-stream'),
      call.options,
      EVENT_STREAM,
      body,
    );
    const response = await this.send(request);
    return readBedrockStream(response, { ...request, model: call.model, id: requestId(response) });
  }

  async probe(options: CallOptions): Promise<ProbeResult> {
    const started = performance.now();
    const response = await this.send(
      await this.request(
        'GET',
        this.endpoints.controlPlane + FOUNDATION_MODELS_PATH,
        options,
        'application/json',
      ),
    );
    await discardBody(response);
    return {
      latencyMs: Math.round(performance.now() - started),
      check: 'GET /foundation-models',
      status: response.status,
    };
  }

  async listModels(options: CallOptions): Promise<ModelInfo[]> {
    const request = await this.request(
      'GET',
      this.endpoints.controlPlane + FOUNDATION_MODELS_PATH,
      options,
      'application/json',
    );
    const response = await this.send(request);
    const models = readFoundationModels(parseJsonSafe(await readText(response, request)));
    if (!models)
      throw this.protocolError(
        'Bedrock answered 200 with a body that is not a foundation model list',
      );
    return models.map((model) => ({
      id: model.modelId,
      ...(model.providerName ? { ownedBy: model.providerName } : {}),
    }));
  }

  /** Model ids contain `:` and, as ARNs, `/`: the whole id is one encoded path segment. */
  private runtimeUrl(model: string, operation: 'converse' | 'converse-stream'): string {
    return `${this.endpoints.runtime}/model/${encodeURIComponent(model)}/${operation}`;
  }

  private async request(
    method: 'GET' | 'POST',
    url: string,
    options: CallOptions,
    accept: string,
    body?: string,
  ): Promise<HttpRequest> {
    const headers = await this.auth.headersFor({
      method,
      url: new URL(url),
      headers: body === undefined ? { accept } : { accept, 'content-type': 'application/json' },
      body,
    });
    return {
      url,
      method,
      headers,
      body,
      signal: options.signal,
      deadline: options.deadline,
      provider: this.providerId,
    };
  }

  /** Sends and resolves with a 2xx response; any other status is read, classified and thrown. */
  private async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await sendRequest(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw bedrockErrorFromResponse(response, await readText(response, request), this.providerId);
  }

  private protocolError(message: string): UpstreamError {
    return new UpstreamError({ kind: 'protocol', message, provider: this.providerId });
  }
}

function requestId(response: HttpResponse): string {
  return headerValue(response.headers, 'x-amzn-requestid') ?? randomUUID();
}

function toChatResponse(
  converse: ConverseResponse,
  reason: FinishReason,
  id: string,
  model: string,
): ChatResponse {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of converse.content) {
    if (block.text) text += block.text;
    else if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: 'function',
        function: {
          name: block.toolUse.name,
          arguments: JSON.stringify(block.toolUse.input ?? {}),
        },
      });
    }
  }
  return {
    id,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text.length === 0 && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finishReason: reason,
      },
    ],
    usage: mapBedrockUsage(converse.usage),
  };
}

export function createBedrockAdapter(
  provider: ProviderConfig,
  settings: BedrockSettings = bedrockSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  return new BedrockChatModel(provider, settings);
}
