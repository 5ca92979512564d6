// A 2xx `chat.completion` body -> the unified ChatResponse. An error object sent with 200 or a
// body without `choices` is refused.
import {
  mapOpenAIUsage,
  UpstreamError,
  type ChatChoice,
  type ChatResponse,
  type ToolCall,
} from '@switchyard/core';
import { isJsonObject, stringField } from '../shared/index.ts';
import {
  isOpenAIErrorBody,
  readOpenAIError,
  type OpenAIChatCompletionWire,
  type OpenAIChoiceWire,
  type OpenAIMessageWire,
  type OpenAIToolCallWire,
} from './openai-api.ts';
import { classifyOpenAIError, type OpenAIErrorContext } from './openai-error.ts';
import { mapOpenAICompatibleFinishReason } from './map-openai-finish-reason.ts';

export function openAIProtocolError(
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

/** Fields read into the unified response; every other field is kept as the vendor sent it. */
const READ_RESPONSE_FIELDS = new Set([
  'id',
  'object',
  'created',
  'model',
  'choices',
  'usage',
  'system_fingerprint',
]);
const READ_CHOICE_FIELDS = new Set(['index', 'message', 'finish_reason', 'logprobs']);
const READ_MESSAGE_FIELDS = new Set(['role', 'content', 'tool_calls', 'refusal']);

/** The members of `value` not in `read` (and not null), or undefined when there are none. */
function unreadFields(
  value: Record<string, unknown>,
  read: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  // for…in rather than Object.entries: no array per member, on every answer (parsed JSON has no
  // inherited enumerable members)
  for (const name in value) {
    const member = value[name];
    if (read.has(name) || member === null || member === undefined) continue;
    (extra ??= {})[name] = member;
  }
  return extra;
}

/** DeepSeek, LM Studio and older vLLM send `reasoning_content`; newer vLLM and OpenRouter `reasoning`. */
function reasoningOf(message: Record<string, unknown>): string | undefined {
  const text = message.reasoning_content ?? message.reasoning;
  return typeof text === 'string' && text ? text : undefined;
}

function toChoice(value: unknown, position: number): ChatChoice | undefined {
  if (!isJsonObject(value)) return undefined;
  const choice = value as OpenAIChoiceWire;
  const message: OpenAIMessageWire = isJsonObject(choice.message) ? choice.message : {};
  const toolCalls = Array.isArray(message.tool_calls)
    ? message.tool_calls.map(toToolCall).filter((call): call is ToolCall => call !== undefined)
    : [];
  const messageExtra = unreadFields(message as Record<string, unknown>, READ_MESSAGE_FIELDS);
  const reasoning = reasoningOf(message as Record<string, unknown>);
  const choiceExtra = unreadFields(value, READ_CHOICE_FIELDS);
  return {
    index: typeof choice.index === 'number' ? choice.index : position,
    message: {
      role: 'assistant',
      content: messageContent(message.content),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      ...(typeof message.refusal === 'string' ? { refusal: message.refusal } : {}),
      ...(reasoning ? { reasoning: [{ text: reasoning }] } : {}),
      // kept in `extra` as well, so a chat answer carries the field under the vendor's own name
      ...(messageExtra ? { extra: messageExtra } : {}),
    },
    finishReason: mapOpenAICompatibleFinishReason(choice.finish_reason),
    ...(value.logprobs !== undefined && value.logprobs !== null
      ? { logprobs: value.logprobs }
      : {}),
    ...(choiceExtra ? { extra: choiceExtra } : {}),
  };
}

export function mapOpenAIResponse(
  body: unknown,
  model: string,
  context: OpenAIErrorContext,
): ChatResponse {
  if (!isJsonObject(body)) throw openAIProtocolError(context, 'the answer is not a JSON object');
  if (isOpenAIErrorBody(body)) throw classifyOpenAIError(readOpenAIError(body), context);
  const completion = body as OpenAIChatCompletionWire;
  if (!Array.isArray(completion.choices))
    throw openAIProtocolError(context, 'the answer has no choices');
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
  const extra = unreadFields(body, READ_RESPONSE_FIELDS);
  if (extra) response.extra = extra;
  return response;
}
