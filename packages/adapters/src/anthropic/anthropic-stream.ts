// Anthropic's SSE stream (`message_start` … `message_stop`) -> typed stream events, parsed once.
// A stream that ends without `message_stop` ends with an error event, never a clean finish.
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import {
  streamReader,
  VendorStreamDecoder,
  type SseMessage,
  type StreamFormat,
  type StreamRequest,
} from '../http/index.ts';
import { CLAUDE_REASONING, isJsonObject, type JsonObject } from '../shared/index.ts';
import {
  readAnthropicError,
  readAnthropicUsage,
  readResponseBlock,
  type AnthropicUsage,
} from './anthropic-api.ts';
import { anthropicError } from './anthropic-error.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

export interface AnthropicStreamContext extends StreamRequest {
  /** The requested model, used when the stream does not name one. */
  model: string;
}

type DecoderContext = Pick<AnthropicStreamContext, 'provider' | 'model'>;

/** Turns Anthropic stream messages into events; keeps the state a stream needs (usage, tool indexes). */
export class AnthropicStreamDecoder extends VendorStreamDecoder<SseMessage> {
  private started = false;
  private readonly toolIndexByBlock = new Map<number, number>();
  private usage: AnthropicUsage = {};
  private stopReason: string | null = null;

  constructor(private readonly context: DecoderContext) {
    super(context.provider, 'Anthropic stream');
  }

  decode(message: SseMessage, events: StreamEvent[]): void {
    events.push(...this.eventsOf(message));
  }

  end(events: StreamEvent[]): void {
    events.push(
      this.fail(
        new UpstreamError({
          kind: 'protocol',
          message: 'Anthropic stream ended before message_stop',
          provider: this.context.provider,
        }),
      ),
    );
  }

  private eventsOf(message: SseMessage): StreamEvent[] {
    const data = parseJsonSafe(message.data);
    if (!isJsonObject(data))
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

  private onMessageStart(data: JsonObject): StreamEvent[] {
    const message = isJsonObject(data.message) ? data.message : {};
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

  private onBlockStart(data: JsonObject): StreamEvent[] {
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
    if (block.type === 'thinking' && block.thinking)
      return [{ type: 'reasoning-delta', choiceIndex: 0, text: block.thinking }];
    if (block.type === 'redacted_thinking' && block.data !== undefined)
      return [
        {
          type: 'reasoning-delta',
          choiceIndex: 0,
          text: '',
          encrypted: block.data,
          origin: CLAUDE_REASONING,
        },
      ];
    return [];
  }

  private onBlockDelta(data: JsonObject): StreamEvent[] {
    const delta = data.delta;
    if (typeof data.index !== 'number' || !isJsonObject(delta))
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
    if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string')
      return delta.thinking.length > 0
        ? [{ type: 'reasoning-delta', choiceIndex: 0, text: delta.thinking }]
        : [];
    // the signature ends its thinking block
    if (delta.type === 'signature_delta' && typeof delta.signature === 'string')
      return [
        {
          type: 'reasoning-delta',
          choiceIndex: 0,
          text: '',
          signature: delta.signature,
          origin: CLAUDE_REASONING,
        },
      ];
    // citation deltas have no place in the unified answer
    return [];
  }

  private onMessageDelta(data: JsonObject): void {
    if (isJsonObject(data.delta) && typeof data.delta.stop_reason === 'string')
      this.stopReason = data.delta.stop_reason;
    // message_delta usage is cumulative: later values replace earlier ones
    const usage = readAnthropicUsage(data.usage);
    for (const key of Object.keys(usage) as (keyof AnthropicUsage)[]) {
      if (usage[key] !== undefined) this.usage[key] = usage[key];
    }
  }

  private onMessageStop(): StreamEvent[] {
    this.state = 'complete';
    return [
      { type: 'finish', choiceIndex: 0, reason: mapAnthropicFinishReason(this.stopReason) },
      { type: 'usage', usage: mapAnthropicUsage(this.usage) },
    ];
  }
}

export function anthropicStreamFormat(context: DecoderContext): StreamFormat<'sse'> {
  return {
    framing: 'sse',
    vendor: 'Anthropic',
    decode: () => new AnthropicStreamDecoder(context),
  };
}

export const readAnthropicStream = streamReader<'sse', AnthropicStreamContext>(
  anthropicStreamFormat,
);
