// Gemini `streamGenerateContent?alt=sse` → typed stream events. Gemini sends no end sentinel:
// the stream is complete only when every candidate carried a finishReason (or the prompt was
// blocked) before the body ended; anything else ends with an error event.
import { parseJsonSafe, type FinishReason, type StreamEvent, type Usage } from '@switchyard/core';
import {
  streamReader,
  VendorStreamDecoder,
  type SseMessage,
  type StreamFormat,
  type StreamRequest,
} from '../http/index.ts';
import { isGeminiErrorBody, isGeminiResponse, type GeminiCandidate } from './gemini-api.ts';
import { geminiErrorFromPayload } from './gemini-error.ts';
import {
  geminiGenerationError,
  mapGeminiUsage,
  newGeminiResponseId,
} from './map-gemini-response.ts';
import { encodeGeminiToolCallId, geminiToolCallBaseId } from './gemini-tool-call-id.ts';
import { GEMINI_REASONING, partSignature } from './gemini-thought-signature.ts';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './map-gemini-finish-reason.ts';

export interface GeminiStreamContext extends StreamRequest {
  /** The requested model, used when the stream does not name one. */
  model: string;
}

type DecoderContext = Pick<GeminiStreamContext, 'provider' | 'model'>;

interface CandidateState {
  toolCalls: number;
  finish?: FinishReason;
  finishMessage?: string;
}

class GeminiStreamDecoder extends VendorStreamDecoder<SseMessage> {
  private readonly candidates = new Map<number, CandidateState>();
  private responseId: string | undefined;
  private usage: Usage | undefined;
  private blocked: FinishReason | undefined;

  constructor(private readonly context: DecoderContext) {
    super(context.provider, 'Gemini stream');
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    const chunk = parseJsonSafe(message.data);
    if (isGeminiErrorBody(chunk)) {
      events.push(
        this.fail(
          geminiErrorFromPayload(chunk.error, chunk.error.code ?? 500, this.context.provider),
        ),
      );
      return;
    }
    if (!isGeminiResponse(chunk)) {
      events.push(this.fail(this.protocolError('a chunk is not a GenerateContentResponse')));
      return;
    }
    if (this.responseId === undefined) {
      this.responseId = chunk.responseId ?? newGeminiResponseId();
      events.push({
        type: 'start',
        id: this.responseId,
        model: chunk.modelVersion ?? this.context.model,
        created: Math.floor(Date.now() / 1000),
      });
    }
    if (chunk.usageMetadata) this.usage = mapGeminiUsage(chunk.usageMetadata);
    const chunkCandidates = chunk.candidates ?? [];
    if (chunkCandidates.length === 0 && chunk.promptFeedback?.blockReason)
      this.blocked = mapGeminiBlockReason(chunk.promptFeedback.blockReason);
    for (const [position, candidate] of chunkCandidates.entries())
      this.decodeCandidate(candidate, candidate.index ?? position, events);
  }

  end(events: StreamEvent[]): void {
    const states = [...this.candidates.entries()].sort(([a], [b]) => a - b);
    const finished =
      this.blocked !== undefined ||
      (states.length > 0 && states.every(([, state]) => state.finish !== undefined));
    if (!finished) {
      events.push(this.fail(this.protocolError('the stream ended before a finish reason')));
      return;
    }
    const failed = states.find(([, state]) => state.finish?.unified === 'error');
    if (failed) {
      const [, state] = failed;
      events.push(
        this.fail(
          geminiGenerationError(
            state.finish?.raw ?? null,
            state.finishMessage,
            this.context.provider,
          ),
        ),
      );
      return;
    }
    if (this.usage) events.push({ type: 'usage', usage: this.usage });
    if (this.blocked && states.length === 0)
      events.push({ type: 'finish', choiceIndex: 0, reason: this.blocked });
    for (const [choiceIndex, state] of states)
      if (state.finish) events.push({ type: 'finish', choiceIndex, reason: state.finish });
    this.state = 'complete';
  }

  private decodeCandidate(
    candidate: GeminiCandidate,
    choiceIndex: number,
    events: StreamEvent[],
  ): void {
    let state = this.candidates.get(choiceIndex);
    if (!state) {
      state = { toolCalls: 0 };
      this.candidates.set(choiceIndex, state);
    }
    for (const part of candidate.content?.parts ?? []) {
      const signature = partSignature(part);
      const text = typeof part.text === 'string' ? part.text : '';
      if (text && part.thought) events.push({ type: 'reasoning-delta', choiceIndex, text });
      // the signature closes the reasoning before the answer text it came with
      if (signature)
        events.push({
          type: 'reasoning-delta',
          choiceIndex,
          text: '',
          signature,
          origin: GEMINI_REASONING,
        });
      if (text && !part.thought) events.push({ type: 'text-delta', choiceIndex, text });
      if (part.functionCall && typeof part.functionCall.name === 'string') {
        const baseId = geminiToolCallBaseId(
          part.functionCall.id,
          this.responseId ?? '',
          choiceIndex,
          state.toolCalls,
        );
        events.push({
          type: 'tool-call-delta',
          choiceIndex,
          toolCallIndex: state.toolCalls,
          id: encodeGeminiToolCallId(baseId, part.thoughtSignature),
          name: part.functionCall.name,
          argumentsDelta: JSON.stringify(part.functionCall.args ?? {}),
        });
        state.toolCalls++;
      }
    }
    if (candidate.finishReason) {
      state.finish = mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0);
      if (candidate.finishMessage) state.finishMessage = candidate.finishMessage;
    }
  }
}

export function geminiStreamFormat(context: DecoderContext): StreamFormat<'sse'> {
  return { framing: 'sse', vendor: 'Gemini', decode: () => new GeminiStreamDecoder(context) };
}

/** Events of an accepted (2xx) stream response; stopping early closes the upstream connection. */
export const readGeminiStream = streamReader<'sse', GeminiStreamContext>(geminiStreamFormat);
