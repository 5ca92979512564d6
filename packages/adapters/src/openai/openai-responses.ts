// The Responses API spoken natively (OpenAI `/v1/responses`, Azure `/openai/v1/responses`): a
// call whose client spoke the Responses dialect is forwarded byte for byte with only the model
// replaced, and answered with the vendor's own body (`ChatResponse.native`) or its frames
// (`native` stream events). Only what routing, usage and metrics need is read from them.
import {
  makeUsage,
  nativeErrorResponse,
  parseJsonSafe,
  UpstreamError,
  withModel,
  type AdapterCall,
  type ChatResponse,
  type FinishReason,
  type ProviderAdapter,
  type StreamCallOptions,
  type StreamEvent,
  type ToolCall,
  type Usage,
} from '@switchyard/core';
import {
  callJson,
  headerValue,
  openStream,
  readText,
  sendAccepted,
  VendorStreamDecoder,
  type ErrorParser,
  type HttpRequest,
  type SseMessage,
} from '../http/index.ts';
import { isJsonObject, type JsonObject } from '../shared/index.ts';
import { openAIProtocolError } from './map-openai-response.ts';
import { classifyOpenAIError, type OpenAIErrorContext } from './openai-error.ts';

export interface ResponsesPassThrough {
  /** The vendor's Responses URL. */
  url: string;
  /** Auth and configured headers. */
  headers: Readonly<Record<string, string>>;
  context: OpenAIErrorContext;
  parseError: ErrorParser;
}

/** True when this call's client spoke the Responses API (the adapter then forwards it). */
export function isResponsesCall(call: AdapterCall): boolean {
  return call.native?.dialect === 'openai-responses';
}

/** Events whose frames put model output in front of the client: the first is the first token. */
const OUTPUT_EVENTS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
  'response.reasoning_summary_text.delta',
  'response.reasoning_text.delta',
  'response.output_item.added',
]);

/** Usage of a Responses `usage` object. */
export function responsesUsage(value: unknown): Usage | undefined {
  if (!isJsonObject(value)) return undefined;
  const input = typeof value.input_tokens === 'number' ? value.input_tokens : 0;
  const output = typeof value.output_tokens === 'number' ? value.output_tokens : 0;
  const extra: Partial<Usage> = {};
  const inputDetails = isJsonObject(value.input_tokens_details) ? value.input_tokens_details : {};
  const outputDetails = isJsonObject(value.output_tokens_details)
    ? value.output_tokens_details
    : {};
  if (typeof inputDetails.cached_tokens === 'number')
    extra.cachedInputTokens = inputDetails.cached_tokens;
  if (typeof outputDetails.reasoning_tokens === 'number')
    extra.reasoningTokens = outputDetails.reasoning_tokens;
  return makeUsage(input, output, extra);
}

/** The unified finish of a Response: incomplete for its reason, tool calls, or stop. */
function finishOf(response: JsonObject, calls: number): FinishReason {
  const status = typeof response.status === 'string' ? response.status : null;
  if (status === 'incomplete') {
    const details = isJsonObject(response.incomplete_details) ? response.incomplete_details : {};
    const reason = details.reason === 'content_filter' ? 'content_filter' : 'length';
    return { unified: reason, raw: typeof details.reason === 'string' ? details.reason : status };
  }
  return { unified: calls > 0 ? 'tool_calls' : 'stop', raw: status };
}

/** The unified reading of a Response body: its text, calls, usage and finish. */
export function unifiedFromResponse(response: JsonObject): Omit<ChatResponse, 'native'> {
  let text = '';
  const calls: ToolCall[] = [];
  for (const item of Array.isArray(response.output) ? response.output : []) {
    if (!isJsonObject(item)) continue;
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content)
        if (isJsonObject(part) && typeof part.text === 'string') text += part.text;
    } else if (item.type === 'function_call') {
      const name = typeof item.name === 'string' ? item.name : '';
      const args = typeof item.arguments === 'string' ? item.arguments : '';
      const id = typeof item.call_id === 'string' ? item.call_id : '';
      calls.push({ id, type: 'function', function: { name, arguments: args } });
    }
  }
  const usage = responsesUsage(response.usage);
  return {
    id: typeof response.id === 'string' ? response.id : '',
    created: typeof response.created_at === 'number' ? response.created_at : 0,
    model: typeof response.model === 'string' ? response.model : '',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text || null,
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finishReason: finishOf(response, calls.length),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

/** The vendor's own 4xx body kept on the error: it is the Responses envelope the client speaks. */
function keepingResponsesError(parseError: ErrorParser): ErrorParser {
  return (response, text) => {
    const error = parseError(response, text);
    const native = nativeErrorResponse('openai-responses', response.status, text);
    return native ? new UpstreamError({ ...error.toOptions(), native }) : error;
  };
}

function nativeRequest(
  pass: ResponsesPassThrough,
  call: AdapterCall,
  stream: boolean,
): HttpRequest {
  const native = call.native!;
  return {
    url: pass.url,
    method: 'POST',
    headers: {
      ...native.headers,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...pass.headers,
    },
    body: withModel(native.body, call.model),
    signal: call.options.signal,
    deadline: call.options.deadline,
    provider: pass.context.provider,
  };
}

async function completeNative(
  pass: ResponsesPassThrough,
  call: AdapterCall,
): Promise<ChatResponse> {
  const request = nativeRequest(pass, call, false);
  const response = await sendAccepted(request, keepingResponsesError(pass.parseError));
  const body = await readText(response, request);
  const parsed = parseJsonSafe(body);
  if (!isJsonObject(parsed) || parsed.object !== 'response')
    throw openAIProtocolError(pass.context, 'the answer is not a Response object', response.status);
  return { ...unifiedFromResponse(parsed), native: { dialect: 'openai-responses', body } };
}

/** The frames of a Responses stream, summarised once; a failure event ends the stream with an error. */
class ResponsesStreamDecoder extends VendorStreamDecoder<SseMessage> {
  constructor(private readonly context: OpenAIErrorContext) {
    super(context.provider, `${context.vendor} Responses stream`);
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    const event = parseJsonSafe(message.data);
    if (!isJsonObject(event) || typeof event.type !== 'string') {
      events.push(
        this.fail(this.protocolError(`unreadable stream data: ${message.data.slice(0, 100)}`)),
      );
      return;
    }
    const failure = this.failure(event);
    if (failure) {
      events.push(this.fail(failure));
      return;
    }
    const frame = `${message.event ? `event: ${message.event}\n` : ''}data: ${message.data}\n\n`;
    const native: StreamEvent = {
      type: 'native',
      dialect: 'openai-responses',
      frame,
      hasOutput: OUTPUT_EVENTS.has(event.type),
    };
    const done = event.type === 'response.completed' || event.type === 'response.incomplete';
    if (done && isJsonObject(event.response)) {
      const unified = unifiedFromResponse(event.response);
      if (unified.usage) native.usage = unified.usage;
      const finish = unified.choices[0]?.finishReason;
      if (finish) native.finish = finish;
      this.state = 'complete';
    }
    events.push(native);
  }

  end(events: StreamEvent[]): void {
    events.push(this.fail(this.protocolError('the stream ended before response.completed')));
  }

  /** The upstream error an `error` or `response.failed` event reports. */
  private failure(event: JsonObject): UpstreamError | undefined {
    if (event.type === 'error')
      return classifyOpenAIError(
        {
          ...(typeof event.message === 'string' ? { message: event.message } : {}),
          ...(typeof event.code === 'string' ? { code: event.code, type: event.code } : {}),
        },
        this.context,
      );
    if (event.type !== 'response.failed') return undefined;
    const response = isJsonObject(event.response) ? event.response : {};
    const error = isJsonObject(response.error) ? response.error : {};
    return classifyOpenAIError(
      {
        message: typeof error.message === 'string' ? error.message : 'the response failed',
        ...(typeof error.code === 'string' ? { code: error.code, type: error.code } : {}),
      },
      this.context,
    );
  }
}

async function streamNative(
  pass: ResponsesPassThrough,
  call: AdapterCall<StreamCallOptions>,
): Promise<AsyncIterable<StreamEvent>> {
  const request = nativeRequest(pass, call, true);
  return await openStream({
    request,
    parseError: keepingResponsesError(pass.parseError),
    framing: 'sse',
    vendor: pass.context.vendor,
    decode: () => new ResponsesStreamDecoder(pass.context),
    accept: async (response) => {
      if (headerValue(response.headers, 'content-type')?.includes('text/event-stream')) return;
      await readText(response, request).catch(() => '');
      throw openAIProtocolError(pass.context, 'expected an event stream', response.status);
    },
  });
}

/** The input-token counting URL beside the Responses URL (its query, e.g. Azure's api-version, kept). */
export function inputTokensUrl(responsesUrl: string): string {
  const query = responsesUrl.indexOf('?');
  if (query < 0) return `${responsesUrl}/input_tokens`;
  return `${responsesUrl.slice(0, query)}/input_tokens${responsesUrl.slice(query)}`;
}

/** `POST /responses/input_tokens` with the client's own body, the model replaced. */
async function countNative(pass: ResponsesPassThrough, call: AdapterCall): Promise<number> {
  const request = { ...nativeRequest(pass, call, false), url: inputTokensUrl(pass.url) };
  return await callJson({
    request,
    parseError: pass.parseError,
    parse: (body, response) => {
      if (isJsonObject(body) && typeof body.input_tokens === 'number') return body.input_tokens;
      throw openAIProtocolError(
        pass.context,
        'input_tokens answered without input_tokens',
        response.status,
      );
    },
  });
}

/** The adapter, forwarding Responses calls natively and serving every other call as before. */
export function withResponsesPassThrough(
  adapter: ProviderAdapter,
  pass: ResponsesPassThrough,
): ProviderAdapter {
  return {
    ...adapter,
    complete: (call) =>
      isResponsesCall(call) ? completeNative(pass, call) : adapter.complete(call),
    stream: (call) => (isResponsesCall(call) ? streamNative(pass, call) : adapter.stream(call)),
    countTokens: async (call) =>
      isResponsesCall(call) ? await countNative(pass, call) : await adapter.countTokens?.(call),
  };
}
