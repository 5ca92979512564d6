// Bedrock Runtime Converse wire shapes (camelCase JSON). Requests are typed exactly; responses are
// read tolerantly (unknown members such as the stream's `p` padding pass) through the guards below.
import type { ModelInfo } from '@switchyard/core';
import { isJsonObject, optionalNumber } from '../shared/index.ts';

export type BedrockImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export type BedrockContentBlock =
  | { text: string }
  | { image: { format: BedrockImageFormat; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: Record<string, unknown> } }
  | { toolResult: { toolUseId: string; content: { text: string }[] } }
  /** `redactedContent` is the base64 Bedrock sent, returned unread. */
  | {
      reasoningContent:
        { reasoningText: { text: string; signature: string } } | { redactedContent: string };
    };

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockToolSpec {
  toolSpec: {
    name: string;
    description?: string;
    inputSchema: { json: Record<string, unknown> };
    strict?: boolean;
  };
}

export type BedrockToolChoice =
  { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ConverseRequestBody {
  messages: BedrockMessage[];
  system?: { text: string }[];
  inferenceConfig?: {
    maxTokens?: number;
    temperature?: number;
    topP?: number;
    stopSequences?: string[];
  };
  toolConfig?: { tools: BedrockToolSpec[]; toolChoice?: BedrockToolChoice };
  /** Model-specific fields; Claude models take Anthropic's `thinking` here. */
  additionalModelRequestFields?: { thinking?: { type: 'enabled'; budget_tokens: number } };
  outputConfig?: {
    textFormat: {
      type: 'json_schema';
      structure: { jsonSchema: { schema: string; name?: string; description?: string } };
    };
  };
}

export interface BedrockTokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface BedrockResponseBlock {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  /** `reasoningText {text, signature}` or `redactedContent` (base64). */
  reasoning?: { text: string; signature?: string; redacted?: string };
}

export interface ConverseResponse {
  content: BedrockResponseBlock[];
  stopReason: string | null;
  usage: BedrockTokenUsage;
}

export interface FoundationModelSummary {
  modelId: string;
  providerName?: string;
  /** `TEXT`, `IMAGE`, `EMBEDDING`: what the model answers with. */
  outputModalities?: string[];
}

export function readBedrockUsage(value: unknown): BedrockTokenUsage {
  if (!isJsonObject(value)) return {};
  return {
    inputTokens: optionalNumber(value.inputTokens),
    outputTokens: optionalNumber(value.outputTokens),
    totalTokens: optionalNumber(value.totalTokens),
    cacheReadInputTokens: optionalNumber(value.cacheReadInputTokens),
    cacheWriteInputTokens: optionalNumber(value.cacheWriteInputTokens),
  };
}

function readResponseBlock(value: unknown): BedrockResponseBlock {
  if (!isJsonObject(value)) return {};
  const toolUse = value.toolUse;
  return {
    text: typeof value.text === 'string' ? value.text : undefined,
    toolUse:
      isJsonObject(toolUse) &&
      typeof toolUse.toolUseId === 'string' &&
      typeof toolUse.name === 'string'
        ? { toolUseId: toolUse.toolUseId, name: toolUse.name, input: toolUse.input }
        : undefined,
    reasoning: readReasoningContent(value.reasoningContent),
  };
}

function readReasoningContent(value: unknown): BedrockResponseBlock['reasoning'] {
  if (!isJsonObject(value)) return undefined;
  if (typeof value.redactedContent === 'string')
    return { text: '', redacted: value.redactedContent };
  const reasoning = value.reasoningText;
  if (!isJsonObject(reasoning)) return undefined;
  return {
    text: typeof reasoning.text === 'string' ? reasoning.text : '',
    ...(typeof reasoning.signature === 'string' ? { signature: reasoning.signature } : {}),
  };
}

/** The assistant answer of a Converse response, or undefined when the body is not one. */
export function readConverseResponse(value: unknown): ConverseResponse | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.output)) return undefined;
  const message = value.output.message;
  if (!isJsonObject(message) || !Array.isArray(message.content)) return undefined;
  return {
    content: message.content.map(readResponseBlock),
    stopReason: typeof value.stopReason === 'string' ? value.stopReason : null,
    usage: readBedrockUsage(value.usage),
  };
}

/** A listed model's kind from its output modalities: `EMBEDDING` for embedding models, `TEXT` for chat. */
export function foundationModelInfo(model: FoundationModelSummary): ModelInfo {
  const outputs = model.outputModalities ?? [];
  const kind = outputs.includes('EMBEDDING')
    ? 'embedding'
    : outputs.includes('TEXT')
      ? 'chat'
      : undefined;
  return {
    id: model.modelId,
    ...(model.providerName ? { ownedBy: model.providerName } : {}),
    ...(kind ? { kind } : {}),
  };
}

/** The `message` of an AWS JSON error body (some services capitalise it `Message`). */
export function readBedrockErrorMessage(value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  const message = value.message ?? value.Message;
  return typeof message === 'string' ? message : undefined;
}

/** ListFoundationModels (`GET /foundation-models`) summaries, or undefined when the body is not a listing. */
export function readFoundationModels(value: unknown): FoundationModelSummary[] | undefined {
  if (!isJsonObject(value) || !Array.isArray(value.modelSummaries)) return undefined;
  const models: FoundationModelSummary[] = [];
  for (const item of value.modelSummaries) {
    if (isJsonObject(item) && typeof item.modelId === 'string') {
      models.push({
        modelId: item.modelId,
        providerName: typeof item.providerName === 'string' ? item.providerName : undefined,
        outputModalities: Array.isArray(item.outputModalities)
          ? item.outputModalities.filter((value): value is string => typeof value === 'string')
          : undefined,
      });
    }
  }
  return models;
}
