// The AWS Bedrock adapter: Converse and ConverseStream on the runtime endpoint, ListFoundationModels
// on the control plane for the probe and the model list, SigV4 or Bedrock API key auth.
import {
  ConfigError,
  type AdapterCall,
  type CallOptions,
  type ProviderAdapter,
  type ProviderConfig,
} from '@switchyard/core';
import {
  callJson,
  createChatModel,
  openStream,
  type ErrorParser,
  type HttpRequest,
} from '../http/index.ts';
import { protocolError } from '../shared/index.ts';
import { foundationModelInfo, readFoundationModels } from './bedrock-api.ts';
import { bearerAuth, sigV4Auth, type BedrockAuth } from './bedrock-auth.ts';
import { bedrockErrorFromResponse } from './bedrock-error.ts';
import {
  bedrockMessagesBody,
  bedrockMessagesErrorBody,
  bedrockMessagesStreamFormat,
  bedrockTokenCountBody,
  isBedrockAnthropicModel,
  readBedrockTokenCount,
} from './bedrock-invoke-messages.ts';
import {
  completeNativeMessages,
  keepingMessagesError,
  nativeMessages,
} from '../anthropic/anthropic-messages-native.ts';
import { bedrockRequestId, bedrockStreamFormat } from './bedrock-stream.ts';
import { convertToBedrockRequest } from './convert-to-bedrock-request.ts';
import { mapBedrockResponse } from './map-bedrock-response.ts';
import { createBedrockEmbed } from './bedrock-embeddings.ts';
import {
  bedrockRuntimeEndpoint,
  bedrockSettingsIssues,
  bedrockSettingsSchema,
  regionFromBedrockEndpoint,
  type BedrockSettings,
} from './bedrock-settings.ts';

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
  const controlPlane = settings.controlPlaneEndpoint ?? controlPlaneFor(runtime, region);
  return { runtime: trimSlash(runtime), controlPlane: trimSlash(controlPlane), region };
}

/** AWS's own runtime hosts (`bedrock-runtime[-fips].<region>.amazonaws.com[.cn]`). */
const AWS_RUNTIME_HOST = /^bedrock-runtime(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/**
 * Where model listing and the health probe go when `controlPlaneEndpoint` is not set: AWS's
 * control-plane host beside an AWS runtime host; the public control plane beside another AWS
 * host (a VPC endpoint of the runtime); otherwise the runtime endpoint itself — a proxy, a
 * gateway in front of Bedrock or a local stand-in serves both, and probing the public AWS host
 * instead would mark a working provider down.
 */
function controlPlaneFor(runtime: string, region: string): string {
  const url = new URL(runtime);
  if (AWS_RUNTIME_HOST.test(url.hostname))
    return `${url.protocol}//${url.hostname.replace(/^bedrock-runtime/, 'bedrock')}`;
  if (/\.amazonaws\.com(\.cn)?$/.test(url.hostname))
    return `https://bedrock.${region}.amazonaws.com`;
  return runtime;
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

export function createBedrockAdapter(
  provider: ProviderConfig,
  settings: BedrockSettings = bedrockSettingsSchema.parse(provider.config ?? {}),
): ProviderAdapter {
  const issues = bedrockSettingsIssues(provider, settings);
  if (issues.length > 0) throw new ConfigError(issues, `provider ${provider.id}`);
  const endpoints = resolveEndpoints(provider, settings);
  const auth = resolveAuth(provider, settings, endpoints.region);
  const parseError: ErrorParser = (response, bodyText) =>
    bedrockErrorFromResponse(response, bodyText, provider.id);
  /** InvokeModel's 4xx, kept for a Messages client in its own envelope. */
  const nativeParseError = keepingMessagesError(parseError, bedrockMessagesErrorBody);
  const target = { provider: provider.id };

  /** Model ids contain `:` and, as ARNs, `/`: the whole id is one encoded path segment. */
  function runtimeUrl(
    model: string,
    operation:
      'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream' | 'count-tokens',
  ): string {
    return `${endpoints.runtime}/model/${encodeURIComponent(model)}/${operation}`;
  }

  async function signedRequest(
    method: 'GET' | 'POST',
    url: string,
    options: CallOptions,
    accept: string,
    body?: string,
  ): Promise<HttpRequest> {
    const headers = await auth.headersFor({
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
      provider: provider.id,
    };
  }

  /** A Messages client's body, on an Anthropic model: InvokeModel (streamed or not). */
  function nativeOf(call: AdapterCall) {
    const native = nativeMessages(call);
    return native && isBedrockAnthropicModel(call.model) ? native : undefined;
  }

  function converseRequest(call: AdapterCall, stream: boolean): Promise<HttpRequest> {
    const native = nativeOf(call);
    if (native) {
      const operation = stream ? 'invoke-with-response-stream' : 'invoke';
      const accept = stream ? EVENT_STREAM : 'application/json';
      const url = runtimeUrl(call.model, operation);
      return signedRequest('POST', url, call.options, accept, bedrockMessagesBody(native));
    }
    const body = JSON.stringify(convertToBedrockRequest(call.request, call.model, stream, target));
    return stream
      ? signedRequest(
          'POST',
          runtimeUrl(call.model, 'converse-stream'),
          call.options,
          EVENT_STREAM,
          body,
        )
      : signedRequest(
          'POST',
          runtimeUrl(call.model, 'converse'),
          call.options,
          'application/json',
          body,
        );
  }

  function foundationModelsRequest(options: CallOptions): Promise<HttpRequest> {
    return signedRequest(
      'GET',
      endpoints.controlPlane + FOUNDATION_MODELS_PATH,
      options,
      'application/json',
    );
  }

  const embed = createBedrockEmbed({
    provider: provider.id,
    runtime: endpoints.runtime,
    parseError,
    sign: (url, options, body) => signedRequest('POST', url, options, 'application/json', body),
  });
  const adapter = createChatModel({
    provider,
    parseError,
    chatRequest: converseRequest,
    mapResponse: (body, call, response) =>
      mapBedrockResponse(body, call.model, {
        provider: provider.id,
        id: bedrockRequestId(response),
      }),
    streamFormat: (call) =>
      (nativeOf(call) ? bedrockMessagesStreamFormat : bedrockStreamFormat)({
        provider: provider.id,
        model: call.model,
      }),
    probe: { request: foundationModelsRequest, check: 'GET /foundation-models' },
    listModels: async (options) =>
      await callJson({
        request: await foundationModelsRequest(options),
        parseError,
        parse: (body) => {
          const models = readFoundationModels(body);
          if (!models)
            throw protocolError(
              provider.id,
              'Bedrock answered 200 with a body that is not a foundation model list',
            );
          return models.map(foundationModelInfo);
        },
      }),
  });
  return {
    ...adapter,
    embed,
    complete: async (call) =>
      nativeOf(call)
        ? await completeNativeMessages(await converseRequest(call, false), nativeParseError, call)
        : await adapter.complete(call),
    stream: async (call) =>
      nativeOf(call)
        ? await openStream({
            request: await converseRequest(call, true),
            parseError: nativeParseError,
            ...bedrockMessagesStreamFormat({ provider: provider.id, model: call.model }),
          })
        : await adapter.stream(call),
    countTokens: async (call) => {
      const native = nativeOf(call);
      if (!native) return undefined;
      const url = runtimeUrl(call.model, 'count-tokens');
      const body = bedrockTokenCountBody(native);
      return await callJson({
        request: await signedRequest('POST', url, call.options, 'application/json', body),
        parseError,
        parse: (answer) => readBedrockTokenCount(answer, provider.id),
      });
    },
  };
}
