// The legacy Completions API (`POST …/completions`) passed through to the OpenAI-shaped servers
// that offer it (vLLM, LocalAI, llama.cpp servers, OpenAI's instruct models): the client's body
// with only the model replaced, the vendor's answer or SSE frames returned as they came. Requests
// in any other dialect go to the chat model unchanged.
import {
  mapOpenAIUsage,
  parseJsonSafe,
  withModel,
  type AdapterCall,
  type ChatResponse,
  type FinishReason,
  type NativeStreamEvent,
  type ProviderAdapter,
  type StreamCallOptions,
  type StreamEvent,
  type Usage,
} from '@switchyard/core';
import {
  openStream,
  readText,
  sendAccepted,
  VendorStreamDecoder,
  type ErrorParser,
  type HttpRequest,
  type SseMessage,
} from '../http/index.ts';
import { isJsonObject, unsupportedParameter } from '../shared/index.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-finish-reason.ts';
import { openAIProtocolError } from './map-openai-response.ts';
import type { OpenAIErrorContext } from './openai-error.ts';

const DIALECT = 'openai-completions';

/** OpenAI's models (and Azure deployments named after them) that still serve `/v1/completions`. */
export const OPENAI_COMPLETION_MODELS = /instruct|davinci|babbage/i;

export interface OpenAICompletionsSettings {
  /** The completions URL for a vendor model id. */
  url: (model: string) => string;
  headers: Readonly<Record<string, string>>;
  parseError: ErrorParser;
  context: OpenAIErrorContext;
  /** Whether a vendor model serves the Completions API; chat is served otherwise. Default: all do. */
  offers?: ((model: string) => boolean) | undefined;
}

/** The chat completions URL's legacy completions sibling (same base and query). */
export function completionsUrlFor(chatUrl: (model: string) => string): (model: string) => string {
  return (model) => chatUrl(model).replace('/chat/completions', '/completions');
}

/** The adapter, answering legacy completions bodies natively and everything else as before. */
export function withLegacyCompletions(
  adapter: ProviderAdapter,
  settings: OpenAICompletionsSettings,
): ProviderAdapter {
  const native = (call: AdapterCall) => {
    if (call.native?.dialect !== DIALECT) return false;
    if (settings.offers?.(call.model) ?? true) return true;
    // Served as chat: what the dialect marked as untranslatable (as `logprobs`) is refused here.
    if (call.request.logprobs)
      throw unsupportedParameter(
        { provider: settings.context.provider, vendor: settings.context.vendor },
        'logprobs',
        `${call.model} serves chat, not completions`,
      );
    return false;
  };
  return {
    ...adapter,
    complete: async (call) =>
      native(call) ? await completeNative(settings, call) : await adapter.complete(call),
    stream: async (call) =>
      native(call) ? await streamNative(settings, call) : await adapter.stream(call),
  };
}

function nativeRequest(
  settings: OpenAICompletionsSettings,
  call: AdapterCall,
  stream: boolean,
): HttpRequest {
  const body = call.native?.body ?? '{}';
  return {
    url: settings.url(call.model),
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...settings.headers,
    },
    body: call.model ? withModel(body, call.model) : body,
    signal: call.options.signal,
    deadline: call.options.deadline,
    provider: settings.context.provider,
  };
}

async function completeNative(
  settings: OpenAICompletionsSettings,
  call: AdapterCall,
): Promise<ChatResponse> {
  const request = nativeRequest(settings, call, false);
  const response = await sendAccepted(request, settings.parseError);
  const text = await readText(response, request);
  const body = parseJsonSafe(text);
  if (!isJsonObject(body) || !Array.isArray(body.choices))
    throw openAIProtocolError(settings.context, 'the completion has no choices', response.status);
  const choices = body.choices.filter(isJsonObject).map((choice, position) => ({
    index: typeof choice.index === 'number' ? choice.index : position,
    message: {
      role: 'assistant' as const,
      content: typeof choice.text === 'string' ? choice.text : '',
    },
    finishReason: mapOpenAICompatibleFinishReason(choice.finish_reason),
  }));
  const usage = isJsonObject(body.usage) ? mapOpenAIUsage(body.usage) : undefined;
  return {
    id: typeof body.id === 'string' ? body.id : '',
    created: typeof body.created === 'number' ? body.created : 0,
    model: typeof body.model === 'string' ? body.model : call.model,
    choices,
    ...(usage ? { usage } : {}),
    native: { dialect: DIALECT, body: text },
  };
}

async function streamNative(
  settings: OpenAICompletionsSettings,
  call: AdapterCall<StreamCallOptions>,
): Promise<AsyncIterable<StreamEvent>> {
  return await openStream({
    request: nativeRequest(settings, call, true),
    parseError: settings.parseError,
    framing: 'sse',
    vendor: settings.context.vendor,
    decode: () => new CompletionsStreamDecoder(settings.context),
  });
}

/** Each `data:` payload forwarded as one native frame, summarised once; `[DONE]` ends it cleanly. */
class CompletionsStreamDecoder extends VendorStreamDecoder<SseMessage> {
  constructor(context: OpenAIErrorContext) {
    super(context.provider, `${context.vendor} completions stream`);
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    if (message.data === '[DONE]') {
      this.state = 'complete';
      return;
    }
    const chunk = parseJsonSafe(message.data);
    if (!isJsonObject(chunk) || isJsonObject(chunk.error)) {
      const detail = isJsonObject(chunk) ? 'an error event' : 'unreadable stream data';
      events.push(this.fail(this.protocolError(`${detail}: ${message.data.slice(0, 200)}`)));
      return;
    }
    events.push(summarize(message.data, chunk));
  }

  end(events: StreamEvent[]): void {
    events.push(this.fail(this.protocolError('the stream ended before [DONE]')));
  }
}

function summarize(data: string, chunk: Record<string, unknown>): NativeStreamEvent {
  const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isJsonObject) : [];
  const hasOutput = choices.some((choice) => typeof choice.text === 'string' && choice.text !== '');
  const ended = choices.find((choice) => typeof choice.finish_reason === 'string');
  const finish: FinishReason | undefined = ended
    ? mapOpenAICompatibleFinishReason(ended.finish_reason)
    : undefined;
  const usage: Usage | undefined = isJsonObject(chunk.usage)
    ? mapOpenAIUsage(chunk.usage)
    : undefined;
  return {
    type: 'native',
    dialect: DIALECT,
    frame: `data: ${data}\n\n`,
    hasOutput,
    ...(usage ? { usage } : {}),
    ...(finish ? { finish } : {}),
  };
}
