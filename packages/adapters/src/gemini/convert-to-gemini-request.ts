// A unified chat request → Gemini `GenerateContentRequest` (wire-protocols.md §4.2). Fields
// Gemini cannot honour are refused here, before anything is sent.
import {
  requestedMaxTokens,
  type ChatRequest,
  type ChatTool,
  type ToolChoice,
} from '@switchyard/core';
import type { GeminiGenerationConfig, GeminiRequest } from './gemini-api.ts';
import { convertToGeminiMessages } from './convert-to-gemini-messages.ts';
import {
  GEMINI_BUDGETS,
  reasoningEffortOf,
  unsupportedParameter,
  type VendorLabel,
} from '../shared/index.ts';

export interface GeminiRequestTarget {
  provider: string;
}

/** The GenerateContentRequest; the model and streaming are named by the URL, not the body. */
export function convertToGeminiRequest(
  request: ChatRequest,
  _model: string,
  _stream: boolean,
  target: GeminiRequestTarget,
): GeminiRequest {
  const source: VendorLabel = { provider: target.provider, vendor: 'Gemini' };
  refuseUnsupported(request, source);
  const body: GeminiRequest = convertToGeminiMessages(request.messages, target.provider);
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = [{ functionDeclarations: tools.map(toFunctionDeclaration) }];
    if (request.tool_choice !== undefined)
      body.toolConfig = { functionCallingConfig: toFunctionCallingConfig(request.tool_choice) };
  }
  const generationConfig = toGenerationConfig(request);
  const effort = reasoningEffortOf(request, source);
  // the thought summaries come back as reasoning; a budget of 0 turns thinking off
  if (effort !== undefined)
    generationConfig.thinkingConfig =
      effort === 'none'
        ? { thinkingBudget: 0 }
        : { thinkingBudget: GEMINI_BUDGETS[effort], includeThoughts: true };
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function refuseUnsupported(request: ChatRequest, source: VendorLabel): void {
  if (request.logprobs) throw unsupportedParameter(source, 'logprobs');
  if (request.top_logprobs) throw unsupportedParameter(source, 'top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw unsupportedParameter(source, 'logit_bias');
}

function toFunctionDeclaration(
  tool: ChatTool,
): NonNullable<GeminiRequest['tools']>[number]['functionDeclarations'][number] {
  return {
    name: tool.function.name,
    ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
    ...(tool.function.parameters !== undefined
      ? { parametersJsonSchema: tool.function.parameters }
      : {}),
  };
}

function toFunctionCallingConfig(
  choice: ToolChoice,
): NonNullable<GeminiRequest['toolConfig']>['functionCallingConfig'] {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
}

function toGenerationConfig(request: ChatRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (request.stop != null) {
    const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stop.length > 0) config.stopSequences = stop;
  }
  if (request.n != null && request.n > 1) config.candidateCount = request.n;
  if (request.seed != null) config.seed = request.seed;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema;
  }
  return config;
}
