// Gemini `GenerateContentResponse` → the unified ChatResponse: text parts, thought summaries
// (`thought: true`) as reasoning, function calls as tool calls with generated ids, finish reasons, usage. A prompt
// blocked by safety filters is a content-filter finish, not an error.
import { randomUUID } from 'node:crypto';
import {
  makeUsage,
  UpstreamError,
  type ChatChoice,
  type ChatResponse,
  type ReasoningPart,
  type ToolCall,
  type Usage,
} from '@switchyard/core';
import { protocolError } from '../shared/index.ts';
import {
  isGeminiResponse,
  type GeminiCandidate,
  type GeminiResponse,
  type GeminiUsageMetadata,
} from './gemini-api.ts';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { encodeGeminiToolCallId, geminiToolCallBaseId } from './gemini-tool-call-id.ts';
import { GEMINI_REASONING, partSignature } from './gemini-thought-signature.ts';

export function mapGeminiUsage(metadata: GeminiUsageMetadata): Usage {
  const inputTokens = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  // thinking is billed as output
  const outputTokens = (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0);
  const usage = makeUsage(inputTokens, outputTokens);
  if (metadata.totalTokenCount !== undefined) usage.totalTokens = metadata.totalTokenCount;
  if (metadata.cachedContentTokenCount !== undefined)
    usage.cachedInputTokens = metadata.cachedContentTokenCount;
  if (metadata.thoughtsTokenCount !== undefined)
    usage.reasoningTokens = metadata.thoughtsTokenCount;
  return usage;
}

export function newGeminiResponseId(): string {
  return `gemini-${randomUUID()}`;
}

function toChoice(candidate: GeminiCandidate, position: number, responseId: string): ChatChoice {
  const index = candidate.index ?? position;
  let text = '';
  let thoughts = '';
  let signature: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    signature ??= partSignature(part);
    if (typeof part.text === 'string' && part.thought) thoughts += part.text;
    else if (typeof part.text === 'string') text += part.text;
    if (part.functionCall && typeof part.functionCall.name === 'string') {
      const baseId = geminiToolCallBaseId(
        part.functionCall.id,
        responseId,
        index,
        toolCalls.length,
      );
      toolCalls.push({
        id: encodeGeminiToolCallId(baseId, part.thoughtSignature),
        type: 'function',
        function: {
          name: part.functionCall.name,
          arguments: JSON.stringify(part.functionCall.args ?? {}),
        },
      });
    }
  }
  const finishReason = mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0);
  const empty =
    text.length === 0 && (toolCalls.length > 0 || finishReason.unified === 'content_filter');
  // a function call's signature rides in its id; another part's signs the reasoning
  const reasoning: ReasoningPart[] =
    thoughts || signature
      ? [{ text: thoughts, ...(signature ? { signature, origin: GEMINI_REASONING } : {}) }]
      : [];
  return {
    index,
    message: {
      role: 'assistant',
      content: empty ? null : text,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      ...(reasoning.length > 0 ? { reasoning } : {}),
    },
    finishReason,
  };
}

export interface GeminiResponseContext {
  provider: string;
  /** The answer's HTTP status, named in protocol errors. */
  status?: number;
}

/** A 2xx body: refused when it is not JSON or not a GenerateContentResponse. */
export function mapGeminiResponse(
  body: unknown,
  model: string,
  context: GeminiResponseContext,
): ChatResponse {
  if (body === undefined)
    throw protocolError(
      context.provider,
      'Gemini answered with a body that is not JSON',
      context.status,
    );
  if (!isGeminiResponse(body))
    throw protocolError(context.provider, 'Gemini answer is not a GenerateContentResponse');
  return toChatResponse(body, model, context.provider);
}

function toChatResponse(
  body: GeminiResponse,
  requestedModel: string,
  provider: string,
): ChatResponse {
  const responseId = body.responseId ?? newGeminiResponseId();
  const candidates = body.candidates ?? [];
  let choices: ChatChoice[];
  if (candidates.length > 0) {
    choices = candidates
      .map((candidate, position) => toChoice(candidate, position, responseId))
      .sort((a, b) => a.index - b.index);
  } else if (body.promptFeedback?.blockReason) {
    choices = [
      {
        index: 0,
        message: { role: 'assistant', content: null },
        finishReason: mapGeminiBlockReason(body.promptFeedback.blockReason),
      },
    ];
  } else {
    throw new UpstreamError({
      kind: 'protocol',
      message: 'Gemini answered without candidates or a block reason',
      provider,
    });
  }
  const failed = choices.find((choice) => choice.finishReason.unified === 'error');
  if (failed)
    throw geminiGenerationError(failed.finishReason.raw, candidates[0]?.finishMessage, provider);
  return {
    id: responseId,
    created: Math.floor(Date.now() / 1000),
    model: body.modelVersion ?? requestedModel,
    choices,
    ...(body.usageMetadata ? { usage: mapGeminiUsage(body.usageMetadata) } : {}),
  };
}

/** The model produced an unusable function call; another attempt may well succeed. */
export function geminiGenerationError(
  raw: string | null,
  finishMessage: string | undefined,
  provider: string,
): UpstreamError {
  return new UpstreamError({
    kind: 'server',
    code: raw ?? undefined,
    message: `Gemini stopped with ${raw ?? 'an error'}${finishMessage ? `: ${finishMessage}` : ''}`,
    provider,
  });
}
