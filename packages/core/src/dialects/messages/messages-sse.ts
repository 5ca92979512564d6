// Stream events as Messages API SSE: message_start (and a ping), one content block at a time
// (thinking_delta with its signature_delta, text_delta, input_json_delta), content_block_stop, then message_delta with the stop reason and
// usage and message_stop after a clean end. A vendor's own Messages frames are written as they
// came. A failure ends the stream with `event: error`, never with message_stop.
import { expandOpenAIChunk } from '../../spec/openai-chunk.ts';
import type { FinishReason, Usage } from '../../spec/chat-response.ts';
import type { UpstreamError } from '../../spec/errors.ts';
import type { StreamEvent } from '../../spec/stream-events.ts';
import type { SseEncoder } from '../../http/http-route.ts';
import { typedEventJson } from '../../http/sse-json.ts';
import { messageId, toMessagesUsage, toStopReason } from './chat-to-message.ts';
import { messagesErrorBody, type MessagesErrorType } from './messages-error.ts';
import { clientRedactedData, clientSignature } from './messages-reasoning.ts';

export interface MessagesSseOptions {
  requestId: string;
  model: string;
}

/** The estimate the gateway uses elsewhere (`routing/usage-estimate.ts`). */
const CHARS_PER_TOKEN = 4;

type OpenBlock =
  | { kind: 'thinking'; index: number; signed: boolean }
  | { kind: 'text'; index: number }
  | { kind: 'tool'; index: number; tool: number };

export function messagesFrame(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${typedEventJson(type, data)}\n\n`;
}

/** The `event: error` frame that ends a failed stream. */
export function messagesErrorFrame(error: Pick<UpstreamError, 'kind' | 'message'>): string {
  return `event: error\ndata: ${messagesErrorBody({ status: 0, type: streamErrorType(error.kind), message: error.message })}\n\n`;
}

function streamErrorType(kind: UpstreamError['kind']): MessagesErrorType {
  switch (kind) {
    case 'overloaded':
      return 'overloaded_error';
    case 'rate_limited':
      return 'rate_limit_error';
    case 'timeout':
      return 'timeout_error';
    default:
      return 'api_error';
  }
}

export class MessagesSseEncoder implements SseEncoder {
  private started = false;
  private native = false;
  private failed = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private readonly toolBlocks = new Map<number, number>();
  private finishReason: FinishReason | undefined;
  private usage: Usage | undefined;
  /** Characters of output written, for a usage estimate when the vendor reports none. */
  private outputChars = 0;

  constructor(private readonly options: MessagesSseOptions) {}

  get ended(): boolean {
    return this.failed;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'native':
        this.native = true;
        return event.frame;
      case 'openai-chunk':
        return expandOpenAIChunk(event)
          .map((expanded) => this.encode(expanded))
          .join('');
      case 'start':
        return this.start(event.id, event.model);
      case 'text-delta':
        return event.text ? this.start() + this.text(event.text) : '';
      case 'reasoning-delta':
        return event.choiceIndex === 0 ? this.start() + this.thinking(event) : '';
      case 'tool-call-delta':
        return this.start() + this.tool(event);
      case 'finish':
        this.finishReason = event.reason;
        return '';
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        this.failed = true;
        return messagesErrorFrame(event.error);
    }
  }

  /** The closing frames after a clean end (none when the vendor's own frames were written). */
  finish(): string {
    if (this.failed || this.native) return '';
    const usage = this.usage
      ? toMessagesUsage(this.usage)
      : { output_tokens: Math.ceil(this.outputChars / CHARS_PER_TOKEN) };
    return (
      this.start() +
      this.closeBlock() +
      messagesFrame('message_delta', {
        delta: { stop_reason: toStopReason(this.finishReason), stop_sequence: null },
        usage,
      }) +
      messagesFrame('message_stop', {})
    );
  }

  private start(id = '', model = ''): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: messageId(id, this.options.requestId),
      type: 'message',
      role: 'assistant',
      model: model || this.options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return messagesFrame('message_start', { message }) + messagesFrame('ping', {});
  }

  private text(text: string): string {
    this.outputChars += text.length;
    let frames = '';
    if (this.open?.kind !== 'text') {
      frames += this.closeBlock();
      this.open = { kind: 'text', index: this.nextIndex++ };
      frames += messagesFrame('content_block_start', {
        index: this.open.index,
        content_block: { type: 'text', text: '' },
      });
    }
    return (
      frames +
      messagesFrame('content_block_delta', {
        index: this.open.index,
        delta: { type: 'text_delta', text },
      })
    );
  }

  private thinking(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): string {
    let frames = '';
    if (event.encrypted !== undefined && !event.text) {
      frames += this.closeBlock();
      const index = this.nextIndex++;
      return (
        frames +
        messagesFrame('content_block_start', {
          index,
          content_block: { type: 'redacted_thinking', data: clientRedactedData(event) },
        }) +
        messagesFrame('content_block_stop', { index })
      );
    }
    // a signed block is complete: more reasoning opens the next one
    if (this.open?.kind !== 'thinking' || this.open.signed) {
      frames += this.closeBlock();
      this.open = { kind: 'thinking', index: this.nextIndex++, signed: false };
      frames += messagesFrame('content_block_start', {
        index: this.open.index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
    }
    const open = this.open;
    if (event.text) {
      this.outputChars += event.text.length;
      frames += messagesFrame('content_block_delta', {
        index: open.index,
        delta: { type: 'thinking_delta', thinking: event.text },
      });
    }
    if (event.signature) {
      open.signed = true;
      frames += messagesFrame('content_block_delta', {
        index: open.index,
        delta: { type: 'signature_delta', signature: clientSignature(event) },
      });
    }
    return frames;
  }

  private tool(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): string {
    let frames = '';
    let index = this.toolBlocks.get(event.toolCallIndex);
    if (index === undefined) {
      frames += this.closeBlock();
      index = this.nextIndex++;
      this.toolBlocks.set(event.toolCallIndex, index);
      this.open = { kind: 'tool', index, tool: event.toolCallIndex };
      frames += messagesFrame('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: event.id ?? '', name: event.name ?? '', input: {} },
      });
    }
    if (!event.argumentsDelta) return frames;
    this.outputChars += event.argumentsDelta.length;
    return (
      frames +
      messagesFrame('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: event.argumentsDelta },
      })
    );
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const frame = messagesFrame('content_block_stop', { index: this.open.index });
    this.open = undefined;
    return frame;
  }
}
