// Builds the Converse / ConverseStream body from a unified request (the model id goes in the URL).
// Fields that would change the answer but have no Converse equivalent are refused before sending,
// so the router can try another provider instead of silently serving a different answer.
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
import type { BedrockToolChoice, BedrockToolSpec, ConverseRequestBody } from './bedrock-api.ts';
import { convertToBedrockMessages } from './convert-to-bedrock-messages.ts';

export interface BedrockRequestTarget {
  provider: string;
}

/** The Converse body; the model id goes in the URL and streaming is another operation, not a field. */
export function convertToBedrockRequest(
  request: ChatRequest,
  model: string,
  _stream: boolean,
  target: BedrockRequestTarget,
): ConverseRequestBody {
  const source: VendorLabel = { provider: target.provider, vendor: 'Bedrock' };
  rejectUnsupported(request, source);
  const prompt = convertToBedrockMessages(request.messages, target.provider, {
    claudeReasoning: isClaudeModel(model),
  });
  const body: ConverseRequestBody = { messages: prompt.messages };
  if (prompt.system.length > 0) body.system = prompt.system;
  const inferenceConfig = toInferenceConfig(request);
  if (inferenceConfig) body.inferenceConfig = inferenceConfig;
  applyReasoning(request, model, body, source);
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    if (request.tool_choice === 'none') {
      // Converse has no "none"; leaving the tools out forbids calls, but only while no tool blocks need a toolConfig
      if (prompt.hasToolHistory)
        throw unsupportedParameter(
          source,
          'tool_choice',
          '"none" while the conversation holds tool calls',
        );
    } else {
      if (request.parallel_tool_calls === false)
        throw unsupportedParameter(source, 'parallel_tool_calls', 'false');
      body.toolConfig = { tools: tools.map(toToolSpec), ...toolChoiceOf(request.tool_choice) };
    }
  }
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema.schema) {
    body.outputConfig = {
      textFormat: {
        type: 'json_schema',
        structure: {
          jsonSchema: {
            // Converse takes the schema as a JSON string
            schema: JSON.stringify(format.json_schema.schema),
            name: format.json_schema.name,
            ...(format.json_schema.description
              ? { description: format.json_schema.description }
              : {}),
          },
        },
      },
    };
  }
  return body;
}

function rejectUnsupported(request: ChatRequest, source: VendorLabel): void {
  refuseSamplingControls(request, source, 'Converse accepts 0 to 1');
  const format = request.response_format;
  if (format?.type === 'json_object')
    throw unsupportedParameter(source, 'response_format', 'json_object; use json_schema');
  if (format?.type === 'json_schema' && !format.json_schema.schema) {
    throw unsupportedParameter(source, 'response_format', 'json_schema without a schema');
  }
  refuseNonTextOutput(request, source);
}

/** Claude models, the ones that think with a budget and take their signed reasoning back. */
function isClaudeModel(model: string): boolean {
  return /anthropic|claude/i.test(model);
}

/** Tokens left for the answer when the request sets no limit but thinking needs one. */
const ANSWER_TOKENS = 4096;

/**
 * `reasoning_effort` as Anthropic's thinking budget in `additionalModelRequestFields`: only Claude
 * models take one through Converse, so for other models an effort is refused by name.
 */
function applyReasoning(
  request: ChatRequest,
  model: string,
  body: ConverseRequestBody,
  source: VendorLabel,
): void {
  const effort = reasoningEffortOf(request, source);
  if (effort === undefined || effort === 'none') return;
  if (!isClaudeModel(model))
    throw unsupportedParameter(source, 'reasoning_effort', `a thinking budget for ${model}`);
  if (continuesAssistantTurn(request, CLAUDE_REASONING)) return;
  refuseThinkingConflicts(request, source);
  const plan = planThinking(effort, requestedMaxTokens(request), ANSWER_TOKENS, source);
  body.inferenceConfig = { ...body.inferenceConfig, maxTokens: plan.maxTokens };
  body.additionalModelRequestFields = {
    thinking: { type: 'enabled', budget_tokens: plan.budgetTokens },
  };
}

function toInferenceConfig(request: ChatRequest): ConverseRequestBody['inferenceConfig'] {
  const config: NonNullable<ConverseRequestBody['inferenceConfig']> = {};
  const maxTokens = requestedMaxTokens(request);
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  if (request.stop != null)
    config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  return Object.keys(config).length > 0 ? config : undefined;
}

function toToolSpec(tool: ChatTool): BedrockToolSpec {
  const { name, description, parameters, strict } = tool.function;
  return {
    toolSpec: {
      name,
      ...(description ? { description } : {}),
      inputSchema: { json: parameters ?? { type: 'object', properties: {} } },
      ...(strict ? { strict: true } : {}),
    },
  };
}

function toolChoiceOf(choice: ToolChoice | undefined): { toolChoice?: BedrockToolChoice } {
  if (choice === undefined) return {};
  if (choice === 'auto') return { toolChoice: { auto: {} } };
  if (choice === 'required') return { toolChoice: { any: {} } };
  if (choice === 'none') return {};
  return { toolChoice: { tool: { name: choice.function.name } } };
}
