// Streams of custom endpoints (SSE or NDJSON, per the mapping) → typed stream events. The stream
// is complete at the configured `doneData`, or else at the first event carrying a finish reason:
// usage and finish go out at once, then the body is read to its end so the connection goes back
// to the pool. An event with an `error` member is an in-stream error.
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import { type CompiledStreamFormat } from './custom-format.ts';
import {
  streamReader,
  VendorStreamDecoder,
  type SseMessage,
  type StreamFormat,
  type StreamRequest,
} from '../http/index.ts';
import { describeCustomError } from './custom-error.ts';
import { customUsage, newCustomResponseId, readCustomAnswer } from './map-custom-response.ts';
import { mapCustomFinishReason } from './map-custom-finish-reason.ts';

export interface CustomStreamContext extends StreamRequest {
  model: string;
  format: CompiledStreamFormat;
}

type DecoderContext = Pick<CustomStreamContext, 'provider' | 'model' | 'format'>;

function hasError(value: unknown): value is { error: unknown } {
  return value !== null && typeof value === 'object' && 'error' in value && value.error != null;
}

class CustomStreamDecoder extends VendorStreamDecoder<SseMessage | string> {
  private finishReason: string | undefined;
  private inputTokens: number | undefined;
  private outputTokens: number | undefined;

  constructor(private readonly context: DecoderContext) {
    super(context.provider, context.provider);
  }

  begin(events: StreamEvent[]): void {
    events.push({
      type: 'start',
      id: newCustomResponseId(),
      model: this.context.model,
      created: Math.floor(Date.now() / 1000),
    });
  }

  decode(message: SseMessage | string, events: StreamEvent[]): void {
    const { format, provider } = this.context;
    const data = typeof message === 'string' ? message : message.data;
    if (format.doneData !== undefined && data === format.doneData) {
      this.complete(events);
      return;
    }
    const value = parseJsonSafe(data);
    if (value === undefined) {
      events.push(this.fail(this.protocolError('a stream event is not JSON')));
      return;
    }
    if (hasError(value)) {
      const described = describeCustomError(value);
      events.push(
        this.fail(
          new UpstreamError({
            kind: 'server',
            message: `${provider}: ${described.message ?? 'error in stream'}`,
            provider,
            ...(described.code ? { code: described.code } : {}),
          }),
        ),
      );
      return;
    }
    const answer = readCustomAnswer(value, format, provider);
    if (answer.text) events.push({ type: 'text-delta', choiceIndex: 0, text: answer.text });
    this.finishReason = answer.finishReason ?? this.finishReason;
    this.inputTokens = answer.inputTokens ?? this.inputTokens;
    this.outputTokens = answer.outputTokens ?? this.outputTokens;
    if (format.doneData === undefined && answer.finishReason !== undefined) this.complete(events);
  }

  end(events: StreamEvent[]): void {
    events.push(this.fail(this.protocolError('the stream ended before its end marker')));
  }

  private complete(events: StreamEvent[]): void {
    const usage = customUsage(this.inputTokens, this.outputTokens);
    if (usage) events.push({ type: 'usage', usage });
    events.push({
      type: 'finish',
      choiceIndex: 0,
      reason: mapCustomFinishReason(this.finishReason),
    });
    this.state = 'complete';
  }
}

export function customStreamFormat(context: DecoderContext): StreamFormat<'sse' | 'ndjson'> {
  return {
    framing: context.format.framing,
    vendor: context.provider,
    decode: () => new CustomStreamDecoder(context),
  };
}

/** Events of an accepted (2xx) stream response; stopping early closes the upstream connection. */
export const readCustomStream = streamReader<'sse' | 'ndjson', CustomStreamContext>(
  customStreamFormat,
);
