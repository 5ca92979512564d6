// One adapter shape for every vendor: a vendor says how to build its requests and read its
// answers, and this wires them to the shared request path (callJson, openStream, probeHttp).
import type {
  AdapterCall,
  CallOptions,
  ChatResponse,
  ModelInfo,
  ProbeResult,
  ProviderAdapter,
  ProviderConfig,
  StreamCallOptions,
  StreamEvent,
} from '@switchyard/core';
import type { HttpRequest, HttpResponse } from './http-client.ts';
import type { StreamFormat, StreamFraming } from './stream-reader.ts';
import { callJson, openStream, probeHttp, type ErrorParser } from './vendor-call.ts';

export interface ChatModelParts<F extends StreamFraming> {
  provider: ProviderConfig;
  parseError: ErrorParser;
  /** The request of a chat call, streamed or not (signed requests resolve asynchronously). */
  chatRequest: (call: AdapterCall, stream: boolean) => HttpRequest | Promise<HttpRequest>;
  /** Maps the parsed 2xx body of a call that was not streamed. */
  mapResponse: (body: unknown, call: AdapterCall, response: HttpResponse) => ChatResponse;
  streamFormat: (call: AdapterCall) => StreamFormat<F>;
  /** Checks a 2xx answer before its body is read as a stream; throws to refuse it. */
  acceptStream?: (response: HttpResponse, request: HttpRequest) => Promise<void>;
  /** The cheap liveness check. */
  probe: {
    request: (options: CallOptions) => HttpRequest | Promise<HttpRequest>;
    check: string;
    healthy?: (status: number) => boolean;
  };
  listModels: (options: CallOptions) => Promise<ModelInfo[]>;
}

export function createChatModel<F extends StreamFraming>(
  parts: ChatModelParts<F>,
): ProviderAdapter {
  const { parseError } = parts;
  return {
    providerId: parts.provider.id,
    type: parts.provider.type,

    async complete(call: AdapterCall): Promise<ChatResponse> {
      return await callJson({
        request: await parts.chatRequest(call, false),
        parseError,
        parse: (body, response) => parts.mapResponse(body, call, response),
      });
    },

    async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
      const request = await parts.chatRequest(call, true);
      const acceptStream = parts.acceptStream;
      return await openStream({
        request,
        parseError,
        ...parts.streamFormat(call),
        ...(acceptStream ? { accept: (response) => acceptStream(response, request) } : {}),
      });
    },

    async probe(options: CallOptions): Promise<ProbeResult> {
      return await probeHttp({
        request: await parts.probe.request(options),
        parseError,
        check: parts.probe.check,
        ...(parts.probe.healthy ? { healthy: parts.probe.healthy } : {}),
      });
    },

    listModels: parts.listModels,
  };
}

export interface ModelPage {
  models: ModelInfo[];
  /** The token of the next page; absent on the last one. */
  next?: string;
}

/** Reads a paged model listing; the page bound holds even if a server kept returning tokens. */
export async function listModelPages(
  readPage: (token: string | undefined) => Promise<ModelPage>,
  maxPages = 20,
): Promise<ModelInfo[]> {
  const models: ModelInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await readPage(token);
    models.push(...result.models);
    token = result.next;
    if (!token) break;
  }
  return models;
}
