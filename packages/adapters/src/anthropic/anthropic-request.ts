// Builds the Messages API body from a unified request. Fields that would change the answer but
// have no Anthropic equivalent are refused before sending, so the router can try another provider
// instead of silently serving a different answer.
import {
  requestedMaxTokens,
  type ChatRequest,
  type ChatTool,
  type ToolChoice,
} from '@switchyard/core';
import type { AnthropicRequestBody, AnthropicTool, AnthropicToolChoice } from './anthropic-api.ts';
import { unsupportedParameter } from './anthropic-error.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

export interface AnthropicRequestOptions {
  /** The vendor model id. */
  model: string;
  /** Used when the request sets no token limit (Anthropic requires one). */
  defaultMaxTokens: number;
  stream: boolean;
  provider: string;
}

/** OpenAI fields outside the typed schema that change the answer and have no Anthropic equivalent. */
const ANSWER_CHANGING_EXTRAS = [
  'audio',
  'prediction',
  'reasoning_effort',
  'web_search_options',
] as const;

export function buildAnthropicRequest(
  request: ChatRequest,
  options: AnthropicRequestOptions,
): AnthropicRequestBody {
  rejectUnsupported(request, options.provider);
  const prompt = convertToAnthropicMessages(request.messages, options.provider);
  const body: AnthropicRequestBody = {
    model: options.model,
    max_tokens: requestedMaxTokens(request) ?? options.defaultMaxTokens,
    messages: prompt.messages,
  };
  if (prompt.system.length > 0) body.system = prompt.system;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.stop != null)
    body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map(toAnthropicTool);
    const choice = toAnthropicToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (choice) body.tool_choice = choice;
  }
  if (request.user) body.metadata = { user_id: request.user };
  if (options.stream) body.stream = true;
  return body;
}

function rejectUnsupported(request: ChatRequest, provider: string): void {
  if ((request.n ?? 1) > 1) throw unsupportedParameter(provider, 'n', 'one choice per request');
  if (request.logprobs) throw unsupportedParameter(provider, 'logprobs');
  if (request.top_logprobs) throw unsupportedParameter(provider, 'top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw unsupportedParameter(provider, 'logit_bias');
  if (request.presence_penalty) throw unsupportedParameter(provider, 'presence_penalty');
  if (request.frequency_penalty) throw unsupportedParameter(provider, 'frequency_penalty');
  if (request.temperature != null && request.temperature > 1) {
    throw unsupportedParameter(provider, 'temperature', 'Anthropic accepts 0 to 1');
  }
  if (request.response_format && request.response_format.type !== 'text') {
    throw unsupportedParameter(
      provider,
      'response_format',
      `${request.response_format.type} output`,
    );
  }
  const modalities = request.modalities;
  if (Array.isArray(modalities) && modalities.some((modality) => modality !== 'text')) {
    throw unsupportedParameter(provider, 'modalities', 'text output only');
  }
  for (const field of ANSWER_CHANGING_EXTRAS) {
    if (request[field] != null) throw unsupportedParameter(provider, field);
  }
}

function toAnthropicTool(tool: ChatTool): AnthropicTool {
  const { name, description, parameters, strict } = tool.function;
  return {
    name,
    ...(description ? { description } : {}),
    input_schema: parameters ?? { type: 'object', properties: {} },
    ...(strict ? { strict: true } : {}),
  };
}

function toAnthropicToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const parallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined)
    return parallelToolCalls === false ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.function.name, ...parallel };
}
