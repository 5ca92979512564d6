// ConverseStream frames -> typed stream events, parsed once. Exception frames become error events;
// a stream that ends without `messageStop` ends with an error event, never a clean finish.
import { randomUUID } from 'node:crypto';
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import { toUtf8 } from '@smithy/util-utf8';
import {
  headerValue,
  streamReader,
  VendorStreamDecoder,
  type EventStreamFrame,
  type HttpResponse,
  type StreamFormat,
  type StreamRequest,
} from '../http/index.ts';
import { CLAUDE_REASONING, isJsonObject, type JsonObject } from '../shared/index.ts';
import { readBedrockErrorMessage, readBedrockUsage } from './bedrock-api.ts';
import { bedrockError } from './bedrock-error.ts';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

export interface BedrockStreamContext extends StreamRequest {
  /** The requested model id (ConverseStream does not name it). */
  model: string;
  /** The answer's id (the `x-amzn-requestid` of the response). */
  id: string;
}

type DecoderContext = Pick<BedrockStreamContext, 'provider' | 'model' | 'id'>;

/** The answer's id: Bedrock's request id, or a fresh one when the header is missing. */
export function bedrockRequestId(response: Pick<HttpResponse, 'headers'>): string {
  return headerValue(response.headers, 'x-amzn-requestid') ?? randomUUID();
}

/** Turns ConverseStream frames into events; keeps the state a stream needs (tool indexes). */
export class BedrockStreamDecoder extends VendorStreamDecoder<EventStreamFrame> {
  private started = false;
  private stopped = false;
  private readonly toolIndexByBlock = new Map<number, number>();

  constructor(private readonly context: DecoderContext) {
    super(context.provider, 'Bedrock stream');
  }

  decode(frame: EventStreamFrame, events: StreamEvent[]): void {
    events.push(...this.eventsOf(frame));
  }

  end(events: StreamEvent[]): void {
    if (this.stopped) {
      this.state = 'complete';
      return;
    }
    events.push(
      this.fail(
        new UpstreamError({
          kind: 'protocol',
          message: 'Bedrock stream ended before messageStop',
          provider: this.context.provider,
        }),
      ),
    );
  }

  private eventsOf(frame: EventStreamFrame): StreamEvent[] {
    const messageType = frame.headers[':message-type'];
    if (messageType === 'exception') {
      const payload = parseJsonSafe(toUtf8(frame.body));
      return [
        this.fail(
          bedrockError(frame.headers[':exception-type'], readBedrockErrorMessage(payload), {
            provider: this.context.provider,
          }),
        ),
      ];
    }
    if (messageType === 'error') {
      return [
        this.fail(
          bedrockError(frame.headers[':error-code'], frame.headers[':error-message'], {
            provider: this.context.provider,
          }),
        ),
      ];
    }
    const data = parseJsonSafe(toUtf8(frame.body));
    if (!isJsonObject(data))
      return [this.fail(this.protocolError('Bedrock sent an event whose payload is not JSON'))];
    const events = this.onEvent(frame.headers[':event-type'], data);
    if (this.started || this.state === 'failed') return events;
    this.started = true;
    return [
      {
        type: 'start',
        id: this.context.id,
        model: this.context.model,
        created: Math.floor(Date.now() / 1000),
      },
      ...events,
    ];
  }

  private onEvent(eventType: string | undefined, data: JsonObject): StreamEvent[] {
    switch (eventType) {
      case 'contentBlockStart':
        return this.onBlockStart(data);
      case 'contentBlockDelta':
        return this.onBlockDelta(data);
      case 'messageStop':
        return this.onMessageStop(data);
      case 'metadata':
        return [{ type: 'usage', usage: mapBedrockUsage(readBedrockUsage(data.usage)) }];
      default:
        // messageStart, contentBlockStop and event types newer than this adapter
        return [];
    }
  }

  private onBlockStart(data: JsonObject): StreamEvent[] {
    const toolUse = isJsonObject(data.start) ? data.start.toolUse : undefined;
    if (!isJsonObject(toolUse)) return [];
    if (typeof data.contentBlockIndex !== 'number')
      return [this.fail(this.protocolError('contentBlockStart without contentBlockIndex'))];
    const toolCallIndex = this.toolIndexByBlock.size;
    this.toolIndexByBlock.set(data.contentBlockIndex, toolCallIndex);
    return [
      {
        type: 'tool-call-delta',
        choiceIndex: 0,
        toolCallIndex,
        id: typeof toolUse.toolUseId === 'string' ? toolUse.toolUseId : '',
        name: typeof toolUse.name === 'string' ? toolUse.name : '',
        argumentsDelta: '',
      },
    ];
  }

  private onBlockDelta(data: JsonObject): StreamEvent[] {
    const delta = data.delta;
    if (typeof data.contentBlockIndex !== 'number' || !isJsonObject(delta)) {
      return [
        this.fail(this.protocolError('contentBlockDelta without contentBlockIndex or delta')),
      ];
    }
    // text blocks have no contentBlockStart: text deltas are taken for any index
    if (typeof delta.text === 'string')
      return delta.text.length > 0
        ? [{ type: 'text-delta', choiceIndex: 0, text: delta.text }]
        : [];
    if (isJsonObject(delta.toolUse) && typeof delta.toolUse.input === 'string') {
      const toolCallIndex = this.toolIndexByBlock.get(data.contentBlockIndex);
      if (toolCallIndex === undefined)
        return [
          this.fail(
            this.protocolError('toolUse input for a block that never started as a tool call'),
          ),
        ];
      const input = delta.toolUse.input;
      return input.length > 0
        ? [{ type: 'tool-call-delta', choiceIndex: 0, toolCallIndex, argumentsDelta: input }]
        : [];
    }
    if (isJsonObject(delta.reasoningContent)) return reasoningDelta(delta.reasoningContent);
    // citation and other deltas have no place in the unified answer
    return [];
  }

  private onMessageStop(data: JsonObject): StreamEvent[] {
    const reason = mapBedrockFinishReason(
      typeof data.stopReason === 'string' ? data.stopReason : null,
    );
    if (reason.unified === 'error') {
      return [
        this.fail(
          new UpstreamError({
            kind: 'server',
            message: `Bedrock model produced unusable output (${reason.raw ?? 'unknown'})`,
            provider: this.context.provider,
            code: reason.raw ?? undefined,
          }),
        ),
      ];
    }
    this.stopped = true;
    return [{ type: 'finish', choiceIndex: 0, reason }];
  }
}

export function bedrockStreamFormat(
  context: Pick<BedrockStreamContext, 'provider' | 'model'> & { id?: string },
): StreamFormat<'aws-event-stream'> {
  return {
    framing: 'aws-event-stream',
    vendor: 'Bedrock',
    decode: (response) =>
      new BedrockStreamDecoder({ ...context, id: context.id ?? bedrockRequestId(response) }),
  };
}

export const readBedrockStream = streamReader<'aws-event-stream', BedrockStreamContext>(
  bedrockStreamFormat,
);

/** `{text}`, `{signature}` (which ends the reasoning block) or `{redactedContent}`. */
function reasoningDelta(reasoning: JsonObject): StreamEvent[] {
  if (typeof reasoning.text === 'string' && reasoning.text.length > 0)
    return [{ type: 'reasoning-delta', choiceIndex: 0, text: reasoning.text }];
  if (typeof reasoning.signature === 'string')
    return [
      {
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: '',
        signature: reasoning.signature,
        origin: CLAUDE_REASONING,
      },
    ];
  if (typeof reasoning.redactedContent === 'string')
    return [
      {
        type: 'reasoning-delta',
        choiceIndex: 0,
        text: '',
        encrypted: reasoning.redactedContent,
        origin: CLAUDE_REASONING,
      },
    ];
  return [];
}
