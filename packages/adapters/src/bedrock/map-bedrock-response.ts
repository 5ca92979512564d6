// A 2xx Converse body -> the unified ChatResponse: text blocks joined, `toolUse` blocks as tool
// calls, `reasoningContent` blocks as reasoning parts, stop reason and usage mapped. Unusable model output is a failed attempt, not an answer.
import {
  UpstreamError,
  type ChatResponse,
  type ReasoningPart,
  type ToolCall,
} from '@switchyard/core';
import { CLAUDE_REASONING, protocolError, singleChoice } from '../shared/index.ts';
import { readConverseResponse } from './bedrock-api.ts';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

export interface BedrockResponseContext {
  provider: string;
  /** The answer's id (Converse bodies carry none: the response's request id). */
  id: string;
}

export function mapBedrockResponse(
  body: unknown,
  model: string,
  context: BedrockResponseContext,
): ChatResponse {
  const converse = readConverseResponse(body);
  if (!converse)
    throw protocolError(
      context.provider,
      'Bedrock answered 200 with a body that is not a Converse response',
    );
  const reason = mapBedrockFinishReason(converse.stopReason);
  if (reason.unified === 'error') {
    throw new UpstreamError({
      kind: 'server',
      message: `Bedrock model produced unusable output (${reason.raw ?? 'unknown'})`,
      provider: context.provider,
      code: reason.raw ?? undefined,
    });
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  for (const block of converse.content) {
    if (block.text) text += block.text;
    else if (block.reasoning) {
      const { text: thought, signature, redacted } = block.reasoning;
      reasoning.push({
        text: thought,
        ...(signature !== undefined ? { signature } : {}),
        ...(redacted !== undefined ? { encrypted: redacted } : {}),
        ...(signature !== undefined || redacted !== undefined ? { origin: CLAUDE_REASONING } : {}),
      });
    } else if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: 'function',
        function: {
          name: block.toolUse.name,
          arguments: JSON.stringify(block.toolUse.input ?? {}),
        },
      });
    }
  }
  const choice = singleChoice(text, toolCalls, reason);
  if (reasoning.length > 0) choice.message.reasoning = reasoning;
  return {
    id: context.id,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [choice],
    usage: mapBedrockUsage(converse.usage),
  };
}
