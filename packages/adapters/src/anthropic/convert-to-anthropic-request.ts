// Builds the Messages API body from a unified request. Fields that would change the answer but
// have no Anthropic equivalent are refused before sending, so the router can try another provider
// instead of silently serving a different answer.
import {
  requestedMaxTokens,
  type ChatRequest,
  type ChatTool,
  type ToolChoice,
} from '@switchyard/core';
import {
  CLAUDE_REASONING,
  continuesAssistantTurn,
  planThinking,
  reasoningEffortOf,
  refuseNonTextOutput,
  refuseSamplingControls,
  refuseThinkingConflicts,
  unsupportedParameter,
  type VendorLabel,
} from '../shared/index.ts';
import type { AnthropicRequestBody, AnthropicTool, AnthropicToolChoice } from './anthropic-api.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

export interface AnthropicRequestTarget {
  provider: string;
  /** Used when the request sets no token limit (Anthropic requires one). */
  defaultMaxTokens: number;
}

export function convertToAnthropicRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
  target: AnthropicRequestTarget,
): AnthropicRequestBody {
  const source: VendorLabel = { provider: target.provider, vendor: 'Anthropic' };
  rejectUnsupported(request, source);
  const effort = reasoningEffortOf(request, source);
  const prompt = convertToAnthropicMessages(request.messages, target.provider);
  const body: AnthropicRequestBody = {
    model,
    max_tokens: requestedMaxTokens(request) ?? target.defaultMaxTokens,
    messages: prompt.messages,
  };
  if (
    effort !== undefined &&
    effort !== 'none' &&
    !continuesAssistantTurn(request, CLAUDE_REASONING)
  ) {
    refuseThinkingConflicts(request, source);
    const plan = planThinking(effort, requestedMaxTokens(request), target.defaultMaxTokens, source);
    body.max_tokens = plan.maxTokens;
    body.thinking = { type: 'enabled', budget_tokens: plan.budgetTokens };
  }
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
  if (stream) body.stream = true;
  return body;
}

function rejectUnsupported(request: ChatRequest, source: VendorLabel): void {
  refuseSamplingControls(request, source, 'Anthropic accepts 0 to 1');
  if (request.response_format && request.response_format.type !== 'text') {
    throw unsupportedParameter(source, 'response_format', `${request.response_format.type} output`);
  }
  refuseNonTextOutput(request, source);
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
