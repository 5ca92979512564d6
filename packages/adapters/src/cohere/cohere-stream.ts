// Cohere v2 SSE (`type`-tagged JSON events) → typed stream events. The stream is complete at
// `message-end`; a body that ends before it (or a bare `[DONE]`) ends with an error event. After
// `message-end` the body is read to its end so the connection goes back to the pool.
import { parseJsonSafe, type StreamEvent } from '@switchyard/core';
import {
  streamReader,
  VendorStreamDecoder,
  type SseMessage,
  type StreamFormat,
  type StreamRequest,
} from '../http/index.ts';
import { isCohereStreamEvent, type CohereStreamEvent } from './cohere-api.ts';
import {
  cohereGenerationError,
  mapCohereUsage,
  newCohereResponseId,
} from './map-cohere-response.ts';
import { mapCohereFinishReason } from './map-cohere-finish-reason.ts';

export interface CohereStreamContext extends StreamRequest {
  /** The requested model (Cohere's events do not name it). */
  model: string;
}

type DecoderContext = Pick<CohereStreamContext, 'provider' | 'model'>;

class CohereStreamDecoder extends VendorStreamDecoder<SseMessage> {
  private started = false;
  /** Cohere's tool-call `index` → our position of that call. */
  private readonly toolCalls = new Map<number, number>();
  private currentToolCall = -1;

  constructor(private readonly context: DecoderContext) {
    super(context.provider, 'Cohere stream');
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    if (message.data === '[DONE]') {
      this.end(events);
      return;
    }
    const event = parseJsonSafe(message.data);
    if (!isCohereStreamEvent(event)) {
      events.push(this.fail(this.protocolError('an event is not a Cohere stream event')));
      return;
    }
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'start',
        id: event.id ?? newCohereResponseId(),
        model: this.context.model,
        created: Math.floor(Date.now() / 1000),
      });
    }
    this.decodeEvent(event, events);
  }

  end(events: StreamEvent[]): void {
    events.push(this.fail(this.protocolError('the stream ended before message-end')));
  }

  private decodeEvent(event: CohereStreamEvent, events: StreamEvent[]): void {
    const delta = event.delta;
    switch (event.type) {
      case 'content-delta': {
        const text = delta?.message?.content?.text;
        if (typeof text === 'string' && text.length > 0)
          events.push({ type: 'text-delta', choiceIndex: 0, text });
        return;
      }
      case 'tool-call-start': {
        const call = delta?.message?.tool_calls;
        this.currentToolCall = this.toolCalls.size;
        this.toolCalls.set(event.index ?? this.currentToolCall, this.currentToolCall);
        events.push({
          type: 'tool-call-delta',
          choiceIndex: 0,
          toolCallIndex: this.currentToolCall,
          id: call?.id ?? `call_${this.currentToolCall}`,
          name: call?.function?.name ?? '',
          argumentsDelta: call?.function?.arguments ?? '',
        });
        return;
      }
      case 'tool-call-delta': {
        const argumentsDelta = delta?.message?.tool_calls?.function?.arguments;
        if (typeof argumentsDelta === 'string' && argumentsDelta.length > 0) {
          const toolCallIndex =
            (event.index !== undefined ? this.toolCalls.get(event.index) : undefined) ??
            this.currentToolCall;
          events.push({ type: 'tool-call-delta', choiceIndex: 0, toolCallIndex, argumentsDelta });
        }
        return;
      }
      case 'message-end':
        this.onMessageEnd(event, events);
        return;
      default:
        return;
    }
  }

  private onMessageEnd(event: CohereStreamEvent, events: StreamEvent[]): void {
    const delta = event.delta;
    const reason = mapCohereFinishReason(delta?.finish_reason);
    if (delta?.error || reason.unified === 'error') {
      events.push(
        this.fail(
          cohereGenerationError(
            reason.raw ? reason : { unified: 'error', raw: 'ERROR' },
            delta?.error,
            this.context.provider,
          ),
        ),
      );
      return;
    }
    if (delta?.usage) events.push({ type: 'usage', usage: mapCohereUsage(delta.usage) });
    events.push({ type: 'finish', choiceIndex: 0, reason });
    this.state = 'complete';
  }
}

export function cohereStreamFormat(context: DecoderContext): StreamFormat<'sse'> {
  return { framing: 'sse', vendor: 'Cohere', decode: () => new CohereStreamDecoder(context) };
}

/** Events of an accepted (2xx) stream response; stopping early closes the upstream connection. */
export const readCohereStream = streamReader<'sse', CohereStreamContext>(cohereStreamFormat);
