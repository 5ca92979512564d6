// Tolerant shapes of what OpenAI-compatible servers answer. Every field is optional and checked
// where it is read: local servers and Azure add, omit and re-type fields freely.
import { isJsonObject, stringField, type JsonObject } from '../shared/index.ts';

/** `chat.completion` as OpenAI-compatible servers send it. */
export interface OpenAIChatCompletionWire {
  id?: unknown;
  created?: unknown;
  model?: unknown;
  choices?: unknown;
  usage?: unknown;
  system_fingerprint?: unknown;
  error?: unknown;
}

export interface OpenAIChoiceWire {
  index?: unknown;
  message?: unknown;
  finish_reason?: unknown;
}

export interface OpenAIMessageWire {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: unknown;
}

export interface OpenAIToolCallWire {
  id?: unknown;
  function?: unknown;
}

/**
 * The error details of an OpenAI-style error body. Accepts OpenAI's `{error:{message,type,param,
 * code}}`, Azure's `innererror` / `inner_error`, vLLM's integer `code` and older flat
 * `{object:"error",message,…}`, Ollama's `{error:"text"}` and FastAPI's `{detail:"text"}`.
 */
export interface OpenAIErrorDetails {
  message?: string;
  type?: string;
  code?: string;
  /** vLLM and LocalAI put the HTTP status in `code`. */
  numericCode?: number;
  param?: string;
  innerCode?: string;
}

export function readOpenAIError(body: unknown): OpenAIErrorDetails | undefined {
  if (!isJsonObject(body)) return undefined;
  const error = body.error;
  if (typeof error === 'string') return { message: error };
  if (isJsonObject(error)) return errorDetails(error);
  if (body.object === 'error') return errorDetails(body);
  if (typeof body.detail === 'string') return { message: body.detail };
  if (typeof body.message === 'string') return { message: body.message };
  return undefined;
}

function errorDetails(error: JsonObject): OpenAIErrorDetails {
  const details: OpenAIErrorDetails = {};
  const message = stringField(error, 'message');
  if (message !== undefined) details.message = message;
  const type = stringField(error, 'type');
  if (type) details.type = type;
  const code = error.code;
  if (typeof code === 'string' && code) details.code = code;
  else if (typeof code === 'number') details.numericCode = code;
  const param = stringField(error, 'param');
  if (param) details.param = param;
  const inner = error.innererror ?? error.inner_error;
  if (isJsonObject(inner)) {
    const innerCode = stringField(inner, 'code');
    if (innerCode) details.innerCode = innerCode;
  }
  return details;
}

/** True when a parsed body is an error object rather than an answer (some servers send errors with 200). */
export function isOpenAIErrorBody(body: JsonObject): boolean {
  return (body.error !== undefined && body.error !== null) || body.object === 'error';
}

/** `GET /v1/models` entries; vLLM adds `max_model_len`, LM Studio's v0 API `max_context_length`. */
export interface OpenAIModelWire {
  id?: unknown;
  owned_by?: unknown;
  max_model_len?: unknown;
  max_context_length?: unknown;
  context_length?: unknown;
}
