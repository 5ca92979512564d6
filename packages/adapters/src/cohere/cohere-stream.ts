// Cohere v2 SSE (`type`-tagged JSON events) → typed stream events. The stream is complete at
// `message-end`; a body that ends before it (or a bare `[DONE]`) ends with an error event. After
// `message-end` the body is read to its end so the connection goes back to the pool.
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import { parseSse, toNetworkError, type HttpRequest, type HttpResponse } from '../http/index.ts';
import { isCohereStreamEvent } from './cohere-api.ts';
import { cohereGenerationError, mapCohereUsage, newCohereResponseId } from './cohere-response.ts';
import { mapCohereFinishReason } from './map-cohere-finish-reason.ts';

export interface CohereStreamContext {
  response: HttpResponse;
  request: Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>;
  model: string;
}

function protocolError(message: string, provider: string): StreamEvent {
  return {
    type: 'error',
    error: new UpstreamError({ kind: 'protocol', message: `Cohere stream: ${message}`, provider }),
  };
}

export async function* cohereStreamEvents(
  context: CohereStreamContext,
): AsyncGenerator<StreamEvent> {
  const { response, request } = context;
  const provider = request.provider;
  let started = false;
  let ended = false;
  let completed = false;
  /** Cohere's tool-call `index` → our position of that call. */
  const toolCalls = new Map<number, number>();
  let currentToolCall = -1;
  try {
    for await (const message of parseSse(response.body)) {
      if (ended) continue;
      if (message.data === '[DONE]') break;
      const event = parseJsonSafe(message.data);
      if (!isCohereStreamEvent(event)) {
        yield protocolError('an event is not a Cohere stream event', provider);
        return;
      }
      if (!started) {
        started = true;
        yield {
          type: 'start',
          id: event.id ?? newCohereResponseId(),
          model: context.model,
          created: Math.floor(Date.now() / 1000),
        };
      }
      const delta = event.delta;
      switch (event.type) {
        case 'content-delta': {
          const text = delta?.message?.content?.text;
          if (typeof text === 'string' && text.length > 0)
            yield { type: 'text-delta', choiceIndex: 0, text };
          break;
        }
        case 'tool-call-start': {
          const call = delta?.message?.tool_calls;
          currentToolCall = toolCalls.size;
          toolCalls.set(event.index ?? currentToolCall, currentToolCall);
          yield {
            type: 'tool-call-delta',
            choiceIndex: 0,
            toolCallIndex: currentToolCall,
            id: call?.id ?? `call_${currentToolCall}`,
            name: call?.function?.name ?? '',
            argumentsDelta: call?.function?.arguments ?? '',
          };
          break;
        }
        case 'tool-call-delta': {
          const argumentsDelta = delta?.message?.tool_calls?.function?.arguments;
          if (typeof argumentsDelta === 'string' && argumentsDelta.length > 0) {
            const toolCallIndex =
              (event.index !== undefined ? toolCalls.get(event.index) : undefined) ??
              currentToolCall;
            yield { type: 'tool-call-delta', choiceIndex: 0, toolCallIndex, argumentsDelta };
          }
          break;
        }
        case 'message-end': {
          const reason = mapCohereFinishReason(delta?.finish_reason);
          if (delta?.error || reason.unified === 'error') {
            yield {
              type: 'error',
              error: cohereGenerationError(
                reason.raw ? reason : { unified: 'error', raw: 'ERROR' },
                delta?.error,
                provider,
              ),
            };
            return;
          }
          if (delta?.usage) yield { type: 'usage', usage: mapCohereUsage(delta.usage) };
          yield { type: 'finish', choiceIndex: 0, reason };
          ended = true;
          break;
        }
        default:
          break;
      }
    }
    if (!ended) {
      yield protocolError('the stream ended before message-end', provider);
      return;
    }
    completed = true;
  } catch (error) {
    // the answer was complete; a connection lost while reading past the end changes nothing
    if (ended) return;
    const mapped = toNetworkError(error, request);
    if (!(mapped instanceof UpstreamError)) throw mapped;
    yield { type: 'error', error: mapped };
  } finally {
    if (!completed) response.body.destroy();
  }
}
