// Typed stream events as Responses API server-sent events, numbered with `sequence_number`:
// `response.created` and `.in_progress` first, each output item opened (`output_item.added`,
// `content_part.added` or `reasoning_summary_part.added`), filled (`output_text.delta`,
// `reasoning_summary_text.delta`, `function_call_arguments.delta`) and closed
// (`.done` events), then `response.completed` (or `.incomplete`). A failure after the stream began
// ends it with `response.failed`, never a clean completion. Native frames (a target that speaks the
// API) are written as they came.
import type { SseEncoder } from '../../http/http-route.ts';
import { typedEventJson } from '../../http/sse-json.ts';
import type { FinishReason, Usage } from '../../spec/chat-response.ts';
import type { UpstreamError } from '../../spec/errors.ts';
import { expandOpenAIChunk } from '../../spec/openai-chunk.ts';
import { parseJsonSafe } from '../../spec/safe-json.ts';
import type { StreamEvent } from '../../spec/stream-events.ts';
import {
  forClient,
  functionCallItem,
  includesEncryptedReasoning,
  itemForClient,
  messageItem,
  newId,
  reasoningItem,
  responseObject,
  statusOf,
  type JsonObject,
  type ResponseShell,
} from './to-response.ts';

export interface ResponsesSseOptions {
  shell: ResponseShell;
  /** Called with the final Response once the stream ended cleanly (to store it); `native` when a vendor made it. */
  onComplete?: ((response: JsonObject, native: boolean) => void) | undefined;
}

interface OpenMessage {
  kind: 'message';
  id: string;
  outputIndex: number;
  text: string;
}

interface OpenReasoning {
  kind: 'reasoning';
  id: string;
  outputIndex: number;
  text: string;
  signature?: string;
  encrypted?: string;
  origin?: string;
}

interface OpenCall {
  kind: 'call';
  id: string;
  outputIndex: number;
  callId: string;
  name: string;
  arguments: string;
}

/** The Responses `error.code` for an upstream failure. */
export function responseErrorCode(error: Pick<UpstreamError, 'kind'>): string {
  return error.kind === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error';
}

export class ResponsesSseEncoder implements SseEncoder {
  private sequence = 0;
  private started = false;
  private failed = false;
  private native = false;
  private readonly output: JsonObject[] = [];
  private open: OpenMessage | OpenReasoning | OpenCall | undefined;
  private readonly calls = new Map<number, OpenCall>();
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;

  constructor(private readonly options: ResponsesSseOptions) {}

  get ended(): boolean {
    return this.failed;
  }

  encode(event: StreamEvent): string {
    if (this.failed) return '';
    switch (event.type) {
      case 'native':
        return this.nativeFrame(event.frame);
      case 'start':
        if (!this.options.shell.model) this.options.shell.model = event.model;
        return this.begin();
      case 'text-delta':
        return event.choiceIndex === 0 ? this.begin() + this.textDelta(event.text) : '';
      case 'reasoning-delta':
        return event.choiceIndex === 0 ? this.begin() + this.reasoningDelta(event) : '';
      case 'tool-call-delta':
        return event.choiceIndex === 0 ? this.begin() + this.callDelta(event) : '';
      case 'openai-chunk':
        return expandOpenAIChunk(event)
          .map((expanded) => this.encode(expanded))
          .join('');
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        if (event.choiceIndex === 0) this.finishReason = event.reason;
        return '';
      case 'error':
        return this.fail(event.error);
    }
  }

  finish(): string {
    if (this.failed || this.native) return '';
    const frames = this.begin() + this.closeOpen();
    const { status, incompleteDetails } = statusOf(this.finishReason);
    const stored = this.storedResponse(status, { incompleteDetails });
    this.options.onComplete?.(stored, false);
    const type = status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return frames + this.frame(type, { response: this.forClient(stored) });
  }

  /** The Response with every item whole (reasoning's encrypted content kept), as stored. */
  private storedResponse(
    status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
    extra: JsonObject,
  ): JsonObject {
    return responseObject(this.options.shell, {
      status,
      output: [...this.output],
      usage: this.usage,
      ...extra,
    });
  }

  private response(
    status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
    extra: JsonObject,
  ): JsonObject {
    return this.forClient(this.storedResponse(status, extra));
  }

  private forClient(response: JsonObject): JsonObject {
    return forClient(response, includesEncryptedReasoning(this.options.shell.request));
  }

  private frame(type: string, fields: JsonObject): string {
    return `event: ${type}\ndata: ${typedEventJson(type, fields, this.sequence++)}\n\n`;
  }

  private begin(): string {
    if (this.started) return '';
    this.started = true;
    const response = this.response('in_progress', {});
    return (
      this.frame('response.created', { response }) +
      this.frame('response.in_progress', { response })
    );
  }

  private textDelta(text: string): string {
    let frames = '';
    if (this.open?.kind !== 'message') {
      frames += this.closeOpen();
      const message: OpenMessage = {
        kind: 'message',
        id: newId('msg'),
        outputIndex: this.output.length,
        text: '',
      };
      this.open = message;
      frames += this.frame('response.output_item.added', {
        output_index: message.outputIndex,
        item: { ...messageItem(message.id, '', 'in_progress'), content: [] },
      });
      frames += this.frame('response.content_part.added', {
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
      });
    }
    const message = this.open;
    message.text += text;
    return (
      frames +
      this.frame('response.output_text.delta', {
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: 0,
        delta: text,
        logprobs: [],
      })
    );
  }

  /** One reasoning item per vendor part: a signature (or withheld reasoning) closes it. */
  private reasoningDelta(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): string {
    let frames = '';
    const open = this.open;
    const sealed = open?.kind === 'reasoning' && (open.signature ?? open.encrypted) !== undefined;
    if (open?.kind !== 'reasoning' || sealed) {
      frames += this.closeOpen();
      const reasoning: OpenReasoning = {
        kind: 'reasoning',
        id: newId('rs'),
        outputIndex: this.output.length,
        text: '',
      };
      this.open = reasoning;
      frames += this.frame('response.output_item.added', {
        output_index: reasoning.outputIndex,
        item: { id: reasoning.id, type: 'reasoning', status: 'in_progress', summary: [] },
      });
    }
    const reasoning = this.open as OpenReasoning;
    const where = { item_id: reasoning.id, output_index: reasoning.outputIndex, summary_index: 0 };
    if (event.text) {
      if (!reasoning.text)
        frames += this.frame('response.reasoning_summary_part.added', {
          ...where,
          part: { type: 'summary_text', text: '' },
        });
      reasoning.text += event.text;
      frames += this.frame('response.reasoning_summary_text.delta', {
        ...where,
        delta: event.text,
      });
    }
    if (event.signature !== undefined) reasoning.signature = event.signature;
    if (event.encrypted !== undefined) reasoning.encrypted = event.encrypted;
    if (event.origin !== undefined) reasoning.origin = event.origin;
    return frames;
  }

  private callDelta(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): string {
    let frames = '';
    let call = this.calls.get(event.toolCallIndex);
    if (!call) {
      frames += this.closeOpen();
      call = {
        kind: 'call',
        id: newId('fc'),
        outputIndex: this.output.length,
        callId: event.id ?? newId('fc'),
        name: event.name ?? '',
        arguments: '',
      };
      this.calls.set(event.toolCallIndex, call);
      this.open = call;
      frames += this.frame('response.output_item.added', {
        output_index: call.outputIndex,
        item: functionCallItem(call.id, { ...call, arguments: '' }, 'in_progress'),
      });
    }
    if (!event.argumentsDelta) return frames;
    call.arguments += event.argumentsDelta;
    if (this.open !== call) return frames;
    return (
      frames +
      this.frame('response.function_call_arguments.delta', {
        item_id: call.id,
        output_index: call.outputIndex,
        delta: event.argumentsDelta,
      })
    );
  }

  /** The `.done` events of the open item; it joins the output. */
  private closeOpen(): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    if (open.kind === 'call') {
      const item = functionCallItem(open.id, open, 'completed');
      this.output.push(item);
      return (
        this.frame('response.function_call_arguments.done', {
          item_id: open.id,
          output_index: open.outputIndex,
          name: open.name,
          arguments: open.arguments,
        }) + this.frame('response.output_item.done', { output_index: open.outputIndex, item })
      );
    }
    if (open.kind === 'reasoning') {
      const item = reasoningItem(
        open.id,
        {
          text: open.text,
          ...(open.signature !== undefined ? { signature: open.signature } : {}),
          ...(open.encrypted !== undefined ? { encrypted: open.encrypted } : {}),
          ...(open.origin !== undefined ? { origin: open.origin } : {}),
        },
        'completed',
      );
      this.output.push(item);
      const shown = itemForClient(item, includesEncryptedReasoning(this.options.shell.request));
      const where = { item_id: open.id, output_index: open.outputIndex, summary_index: 0 };
      const summary = open.text
        ? this.frame('response.reasoning_summary_text.done', { ...where, text: open.text }) +
          this.frame('response.reasoning_summary_part.done', {
            ...where,
            part: { type: 'summary_text', text: open.text },
          })
        : '';
      return (
        summary +
        this.frame('response.output_item.done', { output_index: open.outputIndex, item: shown })
      );
    }
    const item = messageItem(open.id, open.text, 'completed');
    this.output.push(item);
    const where = { item_id: open.id, output_index: open.outputIndex, content_index: 0 };
    return (
      this.frame('response.output_text.done', { ...where, text: open.text, logprobs: [] }) +
      this.frame('response.content_part.done', {
        ...where,
        part: { type: 'output_text', text: open.text, annotations: [], logprobs: [] },
      }) +
      this.frame('response.output_item.done', { output_index: open.outputIndex, item })
    );
  }

  private fail(error: UpstreamError): string {
    const frames = this.begin();
    this.failed = true;
    const response = this.response('failed', {
      error: { code: responseErrorCode(error), message: error.message },
    });
    return frames + this.frame('response.failed', { response });
  }

  /**
   * A native frame as it came. The vendor's numbering and response id carry on into a failure
   * event written after it; its final Response is read from `response.completed` (to store it).
   */
  private nativeFrame(frame: string): string {
    this.native = true;
    this.started = true;
    const sequence = /"sequence_number":\s*(\d+)/.exec(frame)?.[1];
    if (sequence !== undefined) this.sequence = Number(sequence) + 1;
    if (frame.includes('response.created') || frame.includes('response.completed')) {
      const data = /^data: ?(.*)$/m.exec(frame)?.[1];
      const event = data === undefined ? undefined : parseJsonSafe<JsonObject>(data);
      const response = event?.response;
      if (isObject(response) && event?.type === 'response.created') this.adopt(response);
      if (isObject(response) && event?.type === 'response.completed')
        this.options.onComplete?.(response, true);
    }
    return frame;
  }

  private adopt(response: JsonObject): void {
    if (typeof response.id === 'string') this.options.shell.id = response.id;
    if (typeof response.model === 'string') this.options.shell.model = response.model;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
