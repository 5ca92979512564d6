// Cohere `ChatResponseV2` → the unified ChatResponse. Thinking blocks stay out of the content;
// ERROR and TIMEOUT finishes are failed generations, raised as errors.
import { randomUUID } from 'node:crypto';
import {
  makeUsage,
  UpstreamError,
  type ChatResponse,
  type FinishReason,
  type ToolCall,
  type Usage,
} from '@switchyard/core';
import { protocolError, singleChoice } from '../shared/index.ts';
import { isCohereResponse, type CohereResponse, type CohereUsage } from './cohere-api.ts';
import { mapCohereFinishReason } from './map-cohere-finish-reason.ts';

export function mapCohereUsage(usage: CohereUsage): Usage {
  const inputTokens = usage.tokens?.input_tokens ?? usage.billed_units?.input_tokens ?? 0;
  const outputTokens = usage.tokens?.output_tokens ?? usage.billed_units?.output_tokens ?? 0;
  return makeUsage(
    inputTokens,
    outputTokens,
    usage.cached_tokens !== undefined ? { cachedInputTokens: usage.cached_tokens } : undefined,
  );
}

export function newCohereResponseId(): string {
  return `cohere-${randomUUID()}`;
}

/** The error for a generation Cohere ended with ERROR or TIMEOUT. */
export function cohereGenerationError(
  reason: FinishReason,
  detail: string | undefined,
  provider: string,
): UpstreamError {
  return new UpstreamError({
    kind: reason.raw === 'TIMEOUT' ? 'timeout' : 'server',
    code: reason.raw ?? undefined,
    message: `Cohere stopped with ${reason.raw ?? 'an error'}${detail ? `: ${detail}` : ''}`,
    provider,
  });
}

export interface CohereResponseContext {
  provider: string;
  /** The answer's HTTP status, named in protocol errors. */
  status?: number;
}

/** A 2xx body: refused when it is not JSON or not a ChatResponse. */
export function mapCohereResponse(
  body: unknown,
  model: string,
  context: CohereResponseContext,
): ChatResponse {
  if (body === undefined)
    throw protocolError(
      context.provider,
      'Cohere answered with a body that is not JSON',
      context.status,
    );
  if (!isCohereResponse(body))
    throw protocolError(context.provider, 'Cohere answer is not a ChatResponse');
  return toChatResponse(body, model, context.provider);
}

function toChatResponse(
  body: CohereResponse,
  requestedModel: string,
  provider: string,
): ChatResponse {
  const finishReason = mapCohereFinishReason(body.finish_reason);
  if (finishReason.unified === 'error')
    throw cohereGenerationError(finishReason, undefined, provider);
  const message = body.message ?? {};
  let text = '';
  for (const block of message.content ?? [])
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
  const toolCalls: ToolCall[] = [];
  for (const call of message.tool_calls ?? []) {
    if (typeof call.function?.name !== 'string') continue;
    toolCalls.push({
      id: call.id ?? `call_${toolCalls.length}`,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments ?? '{}' },
    });
  }
  return {
    id: body.id ?? newCohereResponseId(),
    created: Math.floor(Date.now() / 1000),
    model: requestedModel,
    choices: [singleChoice(text, toolCalls, finishReason)],
    ...(body.usage ? { usage: mapCohereUsage(body.usage) } : {}),
  };
}
