// ConverseStream frames -> typed stream events, parsed once. Exception frames become error events;
// a stream that ends without `messageStop` ends with an error event, never a clean finish.
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import { toUtf8 } from '@smithy/util-utf8';
import { discardBody, toNetworkError, type HttpRequest, type HttpResponse } from '../http/index.ts';
import { isRecord, readBedrockErrorMessage, readBedrockUsage } from './bedrock-api.ts';
import { bedrockError } from './bedrock-error.ts';
import {
  decodeEventStream,
  EventStreamFormatError,
  type EventStreamFrame,
} from './bedrock-event-stream.ts';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

export interface BedrockStreamContext extends Pick<
  HttpRequest,
  'provider' | 'url' | 'signal' | 'deadline'
> {
  /** The requested model id (ConverseStream does not name it). */
  model: string;
  /** The answer's id (the `x-amzn-requestid` of the response). */
  id: string;
}

/** Turns ConverseStream frames into events; keeps the state a stream needs (tool indexes). */
export class BedrockStreamDecoder {
  private started = false;
  private stopped = false;
  private failed = false;
  private readonly toolIndexByBlock = new Map<number, number>();

  constructor(private readonly context: Pick<BedrockStreamContext, 'provider' | 'model' | 'id'>) {}

  /** True once `messageStop` arrived: the answer is complete (usage may still follow). */
  get finished(): boolean {
    return this.stopped;
  }

  /** True when nothing more should be read after an error event. */
  get failedStream(): boolean {
    return this.failed;
  }

  decode(frame: EventStreamFrame): StreamEvent[] {
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
    if (!isRecord(data))
      return [this.fail(this.protocolError('Bedrock sent an event whose payload is not JSON'))];
    const events = this.onEvent(frame.headers[':event-type'], data);
    if (this.started || this.failed) return events;
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

  private onEvent(eventType: string | undefined, data: Record<string, unknown>): StreamEvent[] {
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

  private onBlockStart(data: Record<string, unknown>): StreamEvent[] {
    const toolUse = isRecord(data.start) ? data.start.toolUse : undefined;
    if (!isRecord(toolUse)) return [];
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

  private onBlockDelta(data: Record<string, unknown>): StreamEvent[] {
    const delta = data.delta;
    if (typeof data.contentBlockIndex !== 'number' || !isRecord(delta)) {
      return [
        this.fail(this.protocolError('contentBlockDelta without contentBlockIndex or delta')),
      ];
    }
    // text blocks have no contentBlockStart: text deltas are taken for any index
    if (typeof delta.text === 'string')
      return delta.text.length > 0
        ? [{ type: 'text-delta', choiceIndex: 0, text: delta.text }]
        : [];
    if (isRecord(delta.toolUse) && typeof delta.toolUse.input === 'string') {
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
    // reasoning, citation and other deltas have no place in the unified answer
    return [];
  }

  private onMessageStop(data: Record<string, unknown>): StreamEvent[] {
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

  private fail(error: UpstreamError): StreamEvent {
    this.failed = true;
    return { type: 'error', error };
  }

  private protocolError(message: string): UpstreamError {
    return new UpstreamError({
      kind: 'protocol',
      message: `Bedrock stream: ${message}`,
      provider: this.context.provider,
    });
  }
}

/**
 * Reads an accepted (2xx) ConverseStream response. Malformed bytes and network failures become
 * error events; a caller abort rethrows the abort reason. Stopping early destroys the body so the
 * upstream connection closes.
 */
export async function* readBedrockStream(
  response: HttpResponse,
  context: BedrockStreamContext,
): AsyncGenerator<StreamEvent> {
  const decoder = new BedrockStreamDecoder(context);
  let drained = false;
  try {
    for await (const frame of decodeEventStream(
      response.body.iterator({ destroyOnReturn: false }),
    )) {
      for (const event of decoder.decode(frame)) yield event;
      if (decoder.failedStream) break;
    }
    drained = !decoder.failedStream;
    if (!decoder.finished && !decoder.failedStream) {
      yield {
        type: 'error',
        error: new UpstreamError({
          kind: 'protocol',
          message: 'Bedrock stream ended before messageStop',
          provider: context.provider,
        }),
      };
    }
  } catch (error) {
    if (error instanceof EventStreamFormatError) {
      yield {
        type: 'error',
        error: new UpstreamError({
          kind: 'protocol',
          message: `Bedrock stream: ${error.message}`,
          provider: context.provider,
          cause: error,
        }),
      };
    } else {
      const mapped = toNetworkError(error, context);
      if (!(mapped instanceof UpstreamError)) throw mapped;
      yield { type: 'error', error: mapped };
    }
  } finally {
    if (drained) void discardBody(response);
    else abandonBody(response);
  }
}

/** Closes the upstream connection of a body nobody will read. */
function abandonBody(response: HttpResponse): void {
  // undici reports destroying an unfinished body as an 'error' event; without a listener it would crash the process
  response.body.on('error', () => undefined);
  response.body.destroy();
}
