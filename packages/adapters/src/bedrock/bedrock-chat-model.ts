// The AWS Bedrock adapter: Converse and ConverseStream on the runtime endpoint, ListFoundationModels
// on the control plane for the probe and the model list, SigV4 or Bedrock API key auth.
import {
  ConfigError,
  defaultEndpoint,
  regionFromBedrockEndpoint,
  type AdapterCall,
  type CallOptions,
  type ProviderAdapter,
  type ProviderConfig,
} from '@switchyard/core';
import { callJson, createChatModel, type ErrorParser, type HttpRequest } from '../http/index.ts';
import { protocolError } from '../shared/index.ts';
import { readFoundationModels } from './bedrock-api.ts';
import { bearerAuth, sigV4Auth, type BedrockAuth } from './bedrock-auth.ts';
import { bedrockErrorFromResponse } from './bedrock-error.ts';
import { bedrockRequestId, bedrockStreamFormat } from './bedrock-stream.ts';
import { convertToBedrockRequest } from './convert-to-bedrock-request.ts';
import { mapBedrockResponse } from './map-bedrock-response.ts';

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

function resolveEndpoints(provider: ProviderConfig): BedrockEndpoints {
  const settings = provider.config ?? {};
  const runtime = provider.endpoint ?? defaultEndpoint(provider);
  const region = settings.region ?? regionFromBedrockEndpoint(runtime);
  if (!runtime || !region) {
    throw new ConfigError(
      [{ path: 'config.region', message: 'is required (the endpoint does not name a region)' }],
      `provider ${provider.id}`,
    );
  }
  const controlPlane =
    typeof settings.controlPlaneEndpoint === 'string'
      ? settings.controlPlaneEndpoint
      : `https://bedrock.${region}.amazonaws.com`;
  return { runtime: trimSlash(runtime), controlPlane: trimSlash(controlPlane), region };
}

function resolveAuth(provider: ProviderConfig, region: string): BedrockAuth {
  const settings = provider.config ?? {};
  const source = `provider ${provider.id}`;
  if (settings.authMode === 'bearer') {
    if (!provider.apiKey)
      throw new ConfigError(
        [{ path: 'apiKey', message: 'is required: the Bedrock API key' }],
        source,
      );
    return bearerAuth(provider.apiKey);
  }
  if (!provider.apiKey)
    throw new ConfigError(
      [{ path: 'apiKey', message: 'is required: the AWS access key id' }],
      source,
    );
  if (!settings.secretKey)
    throw new ConfigError(
      [{ path: 'config.secretKey', message: 'is required: the AWS secret access key' }],
      source,
    );
  return sigV4Auth(
    {
      accessKeyId: provider.apiKey,
      secretAccessKey: settings.secretKey,
      sessionToken: settings.sessionToken,
    },
    region,
  );
}

export function createBedrockAdapter(provider: ProviderConfig): ProviderAdapter {
  const endpoints = resolveEndpoints(provider);
  const auth = resolveAuth(provider, endpoints.region);
  const parseError: ErrorParser = (response, bodyText) =>
    bedrockErrorFromResponse(response, bodyText, provider.id);
  const target = { provider: provider.id };

  /** Model ids contain `:` and, as ARNs, `/`: the whole id is one encoded path segment. */
  function runtimeUrl(model: string, operation: 'converse' | 'converse-stream'): string {
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

  function converseRequest(call: AdapterCall, stream: boolean): Promise<HttpRequest> {
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

  return createChatModel({
    provider,
    parseError,
    chatRequest: converseRequest,
    mapResponse: (body, call, response) =>
      mapBedrockResponse(body, call.model, {
        provider: provider.id,
        id: bedrockRequestId(response),
      }),
    streamFormat: (call) => bedrockStreamFormat({ provider: provider.id, model: call.model }),
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
          return models.map((model) => ({
            id: model.modelId,
            ...(model.providerName ? { ownedBy: model.providerName } : {}),
          }));
        },
      }),
  });
}
