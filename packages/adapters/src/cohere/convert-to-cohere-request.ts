// A unified chat request → Cohere v2 `/v2/chat` body (wire-protocols.md §7). Fields Cohere
// cannot honour are refused here, before anything is sent.
import { requestedMaxTokens, type ChatRequest, type ChatTool } from '@switchyard/core';
import { invalidRequest, unsupportedParameter, type VendorLabel } from '../shared/index.ts';
import type { CohereRequest } from './cohere-api.ts';
import { convertToCohereMessages } from './convert-to-cohere-messages.ts';

const MAX_STOP_SEQUENCES = 5;
// Cohere's documented range for `p`; 1 and 0 (no filtering / greedy) sit just outside it
const MIN_P = 0.01;
const MAX_P = 0.99;

export interface CohereRequestTarget {
  provider: string;
}

export function convertToCohereRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
  target: CohereRequestTarget,
): CohereRequest {
  const provider = target.provider;
  refuseUnsupported(request, { provider, vendor: 'Cohere' });
  const body: CohereRequest = {
    model,
    messages: convertToCohereMessages(request.messages, provider),
  };
  if (stream) body.stream = true;
  addTools(body, request, provider);
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (request.stop != null) {
    const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stop.length > 0) body.stop_sequences = stop;
  }
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.p = Math.min(MAX_P, Math.max(MIN_P, request.top_p));
  if (request.seed != null) body.seed = request.seed;
  if (request.frequency_penalty != null) body.frequency_penalty = request.frequency_penalty;
  if (request.presence_penalty != null) body.presence_penalty = request.presence_penalty;
  const format = request.response_format;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema')
    body.response_format = {
      type: 'json_object',
      ...(format.json_schema.schema ? { json_schema: format.json_schema.schema } : {}),
    };
  return body;
}

function refuseUnsupported(request: ChatRequest, source: VendorLabel): void {
  if (request.n != null && request.n > 1)
    throw unsupportedParameter(source, 'n', 'more than one choice');
  if (request.logprobs) throw unsupportedParameter(source, 'logprobs');
  if (request.top_logprobs) throw unsupportedParameter(source, 'top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw unsupportedParameter(source, 'logit_bias');
  if (request.temperature != null && request.temperature > 1)
    throw unsupportedParameter(source, 'temperature', 'above 1');
  for (const name of ['frequency_penalty', 'presence_penalty'] as const) {
    const value = request[name];
    if (value != null && (value < 0 || value > 1))
      throw unsupportedParameter(source, name, 'outside 0..1');
  }
  if (Array.isArray(request.stop) && request.stop.length > MAX_STOP_SEQUENCES)
    throw unsupportedParameter(source, 'stop', `more than ${MAX_STOP_SEQUENCES} sequences`);
}

function toCohereTool(tool: ChatTool): NonNullable<CohereRequest['tools']>[number] {
  return {
    type: 'function',
    function: {
      name: tool.function.name,
      ...(tool.function.description !== undefined
        ? { description: tool.function.description }
        : {}),
      parameters: tool.function.parameters ?? { type: 'object', properties: {} },
    },
  };
}

function addTools(body: CohereRequest, request: ChatRequest, provider: string): void {
  let tools = request.tools ?? [];
  if (tools.length === 0) return;
  const choice = request.tool_choice;
  if (choice === 'none') body.tool_choice = 'NONE';
  else if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (typeof choice === 'object') {
    // Cohere can only require "some tool": offering just the named one makes it that tool
    tools = tools.filter((tool) => tool.function.name === choice.function.name);
    if (tools.length === 0)
      throw invalidRequest(
        provider,
        'tool_choice',
        `tool_choice names "${choice.function.name}", which is not among the tools`,
      );
    body.tool_choice = 'REQUIRED';
  }
  body.tools = tools.map(toCohereTool);
  if (tools.some((tool) => tool.function.strict === true)) body.strict_tools = true;
}
