// Anthropic's SSE stream (`message_start` … `message_stop`) -> typed stream events, parsed once.
// A stream that ends without `message_stop` ends with an error event, never a clean finish.
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import {
  discardBody,
  parseSse,
  toNetworkError,
  type HttpRequest,
  type HttpResponse,
  type SseMessage,
} from '../http/index.ts';
import {
  isRecord,
  readAnthropicError,
  readAnthropicUsage,
  readResponseBlock,
  type AnthropicUsage,
} from './anthropic-api.ts';
import { anthropicError } from './anthropic-error.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

export interface AnthropicStreamContext extends Pick<
  HttpRequest,
  'provider' | 'url' | 'signal' | 'deadline'
> {
  /** The requested model, used when the stream does not name one. */
  model: string;
}

/** Turns Anthropic stream messages into events; keeps the state a stream needs (usage, tool indexes). */
export class AnthropicStreamDecoder {
  private started = false;
  private stopped = false;
  private failed = false;
  private readonly toolIndexByBlock = new Map<number, number>();
  private usage: AnthropicUsage = {};
  private stopReason: string | null = null;

  constructor(private readonly context: Pick<AnthropicStreamContext, 'provider' | 'model'>) {}

  /** True once `message_stop` arrived: the answer is complete. */
  get finished(): boolean {
    return this.stopped;
  }

  /** True when nothing more should be read: finished, or an error event was emitted. */
  get ended(): boolean {
    return this.stopped || this.failed;
  }

  decode(message: SseMessage): StreamEvent[] {
    const data = parseJsonSafe(message.data);
    if (!isRecord(data))
      return [this.fail(this.protocolError('Anthropic sent a stream event that is not JSON'))];
    const type = message.event ?? (typeof data.type === 'string' ? data.type : undefined);
    switch (type) {
      case 'message_start':
        return this.onMessageStart(data);
      case 'content_block_start':
        return this.withStart(this.onBlockStart(data));
      case 'content_block_delta':
        return this.withStart(this.onBlockDelta(data));
      case 'message_delta':
        this.onMessageDelta(data);
        return [];
      case 'message_stop':
        return this.withStart(this.onMessageStop());
      case 'error':
        return [
          this.fail(anthropicError(readAnthropicError(data), { provider: this.context.provider })),
        ];
      default:
        // ping, content_block_stop and event types newer than this adapter
        return [];
    }
  }

  private onMessageStart(data: Record<string, unknown>): StreamEvent[] {
    const message = isRecord(data.message) ? data.message : {};
    this.usage = readAnthropicUsage(message.usage);
    if (this.started) return [];
    this.started = true;
    return [
      {
        type: 'start',
        id: typeof message.id === 'string' ? message.id : '',
        model:
          typeof message.model === 'string' && message.model ? message.model : this.context.model,
        created: Math.floor(Date.now() / 1000),
      },
    ];
  }

  private withStart(events: StreamEvent[]): StreamEvent[] {
    if (this.started) return events;
    this.started = true;
    return [
      { type: 'start', id: '', model: this.context.model, created: Math.floor(Date.now() / 1000) },
      ...events,
    ];
  }

  private onBlockStart(data: Record<string, unknown>): StreamEvent[] {
    const block = readResponseBlock(data.content_block);
    if (typeof data.index !== 'number' || !block)
      return [this.fail(this.protocolError('content_block_start without index or block'))];
    if (block.type === 'tool_use') {
      const toolCallIndex = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(data.index, toolCallIndex);
      return [
        {
          type: 'tool-call-delta',
          choiceIndex: 0,
          toolCallIndex,
          id: block.id ?? '',
          name: block.name ?? '',
          argumentsDelta: '',
        },
      ];
    }
    if (block.type === 'text' && block.text)
      return [{ type: 'text-delta', choiceIndex: 0, text: block.text }];
    return [];
  }

  private onBlockDelta(data: Record<string, unknown>): StreamEvent[] {
    const delta = data.delta;
    if (typeof data.index !== 'number' || !isRecord(delta))
      return [this.fail(this.protocolError('content_block_delta without index or delta'))];
    if (delta.type === 'text_delta' && typeof delta.text === 'string') {
      return delta.text.length > 0
        ? [{ type: 'text-delta', choiceIndex: 0, text: delta.text }]
        : [];
    }
    if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      const toolCallIndex = this.toolIndexByBlock.get(data.index);
      if (toolCallIndex === undefined)
        return [
          this.fail(this.protocolError('input_json_delta for a block that is not a tool_use')),
        ];
      return delta.partial_json.length > 0
        ? [
            {
              type: 'tool-call-delta',
              choiceIndex: 0,
              toolCallIndex,
              argumentsDelta: delta.partial_json,
            },
          ]
        : [];
    }
    // thinking, signature and citation deltas have no place in the unified answer
    return [];
  }

  private onMessageDelta(data: Record<string, unknown>): void {
    if (isRecord(data.delta) && typeof data.delta.stop_reason === 'string')
      this.stopReason = data.delta.stop_reason;
    // message_delta usage is cumulative: later values replace earlier ones
    const usage = readAnthropicUsage(data.usage);
    for (const key of Object.keys(usage) as (keyof AnthropicUsage)[]) {
      if (usage[key] !== undefined) this.usage[key] = usage[key];
    }
  }

  private onMessageStop(): StreamEvent[] {
    this.stopped = true;
    return [
      { type: 'finish', choiceIndex: 0, reason: mapAnthropicFinishReason(this.stopReason) },
      { type: 'usage', usage: mapAnthropicUsage(this.usage) },
    ];
  }

  private fail(error: UpstreamError): StreamEvent {
    this.failed = true;
    return { type: 'error', error };
  }

  private protocolError(message: string): UpstreamError {
    return new UpstreamError({
      kind: 'protocol',
      message: `Anthropic stream: ${message}`,
      provider: this.context.provider,
    });
  }
}

/**
 * Reads an accepted (2xx) stream response. Network failures become error events; a caller abort
 * rethrows the abort reason. Stopping early destroys the body so the upstream connection closes.
 */
export async function* readAnthropicStream(
  response: HttpResponse,
  context: AnthropicStreamContext,
): AsyncGenerator<StreamEvent> {
  const decoder = new AnthropicStreamDecoder(context);
  try {
    for await (const message of parseSse(response.body.iterator({ destroyOnReturn: false }))) {
      for (const event of decoder.decode(message)) yield event;
      if (decoder.ended) break;
    }
    if (!decoder.ended) {
      yield {
        type: 'error',
        error: new UpstreamError({
          kind: 'protocol',
          message: 'Anthropic stream ended before message_stop',
          provider: context.provider,
        }),
      };
    }
  } catch (error) {
    const mapped = toNetworkError(error, context);
    if (!(mapped instanceof UpstreamError)) throw mapped;
    yield { type: 'error', error: mapped };
  } finally {
    // A finished answer leaves only the end of the body: drain it so the connection is reused.
    if (decoder.finished) void discardBody(response);
    else abandonBody(response);
  }
}

/** Closes the upstream connection of a body nobody will read. */
function abandonBody(response: HttpResponse): void {
  // undici reports destroying an unfinished body as an 'error' event; without a listener it would crash the process
  response.body.on('error', () => undefined);
  response.body.destroy();
}
