// Gemini `streamGenerateContent?alt=sse` → typed stream events. Gemini sends no end sentinel:
// the stream is complete only when every candidate carried a finishReason (or the prompt was
// blocked) before the body ended; anything else ends with an error event.
import {
  parseJsonSafe,
  UpstreamError,
  type FinishReason,
  type StreamEvent,
  type Usage,
} from '@switchyard/core';
import { parseSse, toNetworkError, type HttpRequest, type HttpResponse } from '../http/index.ts';
import { isGeminiErrorBody, isGeminiResponse } from './gemini-api.ts';
import { geminiErrorFromPayload } from './gemini-error.ts';
import { geminiGenerationError, mapGeminiUsage, newGeminiResponseId } from './gemini-response.ts';
import { encodeGeminiToolCallId, geminiToolCallBaseId } from './gemini-tool-call-id.ts';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './map-gemini-finish-reason.ts';

export interface GeminiStreamContext {
  response: HttpResponse;
  request: Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>;
  model: string;
}

interface CandidateState {
  toolCalls: number;
  finish?: FinishReason;
  finishMessage?: string;
}

function protocolError(message: string, provider: string): StreamEvent {
  return {
    type: 'error',
    error: new UpstreamError({ kind: 'protocol', message: `Gemini stream: ${message}`, provider }),
  };
}

export async function* geminiStreamEvents(
  context: GeminiStreamContext,
): AsyncGenerator<StreamEvent> {
  const { response, request } = context;
  const provider = request.provider;
  const candidates = new Map<number, CandidateState>();
  let responseId: string | undefined;
  let usage: Usage | undefined;
  let blocked: FinishReason | undefined;
  let completed = false;
  try {
    for await (const message of parseSse(response.body)) {
      const chunk = parseJsonSafe(message.data);
      if (isGeminiErrorBody(chunk)) {
        yield {
          type: 'error',
          error: geminiErrorFromPayload(chunk.error, chunk.error.code ?? 500, provider),
        };
        return;
      }
      if (!isGeminiResponse(chunk)) {
        yield protocolError('a chunk is not a GenerateContentResponse', provider);
        return;
      }
      if (responseId === undefined) {
        responseId = chunk.responseId ?? newGeminiResponseId();
        yield {
          type: 'start',
          id: responseId,
          model: chunk.modelVersion ?? context.model,
          created: Math.floor(Date.now() / 1000),
        };
      }
      if (chunk.usageMetadata) usage = mapGeminiUsage(chunk.usageMetadata);
      const chunkCandidates = chunk.candidates ?? [];
      if (chunkCandidates.length === 0 && chunk.promptFeedback?.blockReason)
        blocked = mapGeminiBlockReason(chunk.promptFeedback.blockReason);
      for (const [position, candidate] of chunkCandidates.entries()) {
        const choiceIndex = candidate.index ?? position;
        let state = candidates.get(choiceIndex);
        if (!state) {
          state = { toolCalls: 0 };
          candidates.set(choiceIndex, state);
        }
        for (const part of candidate.content?.parts ?? []) {
          if (typeof part.text === 'string' && part.text.length > 0 && !part.thought)
            yield { type: 'text-delta', choiceIndex, text: part.text };
          if (part.functionCall && typeof part.functionCall.name === 'string') {
            const baseId = geminiToolCallBaseId(
              part.functionCall.id,
              responseId,
              choiceIndex,
              state.toolCalls,
            );
            yield {
              type: 'tool-call-delta',
              choiceIndex,
              toolCallIndex: state.toolCalls,
              id: encodeGeminiToolCallId(baseId, part.thoughtSignature),
              name: part.functionCall.name,
              argumentsDelta: JSON.stringify(part.functionCall.args ?? {}),
            };
            state.toolCalls++;
          }
        }
        if (candidate.finishReason) {
          state.finish = mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0);
          if (candidate.finishMessage) state.finishMessage = candidate.finishMessage;
        }
      }
    }

    const states = [...candidates.entries()].sort(([a], [b]) => a - b);
    const finished =
      blocked !== undefined ||
      (states.length > 0 && states.every(([, state]) => state.finish !== undefined));
    if (!finished) {
      yield protocolError('the stream ended before a finish reason', provider);
      return;
    }
    const failed = states.find(([, state]) => state.finish?.unified === 'error');
    if (failed) {
      yield {
        type: 'error',
        error: geminiGenerationError(
          failed[1].finish?.raw ?? null,
          failed[1].finishMessage,
          provider,
        ),
      };
      return;
    }
    if (usage) yield { type: 'usage', usage };
    if (blocked && states.length === 0) yield { type: 'finish', choiceIndex: 0, reason: blocked };
    for (const [choiceIndex, state] of states)
      if (state.finish) yield { type: 'finish', choiceIndex, reason: state.finish };
    completed = true;
  } catch (error) {
    const mapped = toNetworkError(error, request);
    if (!(mapped instanceof UpstreamError)) throw mapped;
    yield { type: 'error', error: mapped };
  } finally {
    if (!completed) response.body.destroy();
  }
}
