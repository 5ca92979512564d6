// Rebuilds a ChatResponse from a stream's events so a streamed answer can be cached too (the
// reverse of `replayAsStream`).
import { randomUUID } from 'node:crypto';
import type { ChatResponse, ReasoningPart } from '../spec/chat-response.ts';
import { expandOpenAIChunk } from '../spec/openai-chunk.ts';
import type { StreamEvent } from '../spec/stream-events.ts';

/** Who answered the stream: the collected response names them. */
export interface StreamOrigin {
  model: string;
  provider: string;
}

type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

export class StreamCollector {
  private text = '';
  private readonly reasoning: ReasoningPart[] = [];
  private readonly toolCalls: ToolCall[] = [];
  private finish: ChatResponse['choices'][number]['finishReason'] | undefined;
  private usage: ChatResponse['usage'];
  private id = '';
  private created = 0;
  private unsupported = false;
  private native = false;

  constructor(private readonly origin: StreamOrigin) {}

  /** Passes the events on, noting each one. */
  async *collect(events: AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent> {
    for await (const event of events) {
      this.note(event);
      yield event;
    }
  }

  /** The whole answer, or undefined when the stream was cut, failed or had several choices. */
  response(): ChatResponse | undefined {
    if (this.unsupported || !this.finish) return undefined;
    const hasToolCalls = this.toolCalls.length > 0;
    return {
      id: this.id || `chatcmpl-${randomUUID()}`,
      created: this.created || Math.floor(Date.now() / 1000),
      model: this.origin.model,
      provider: this.origin.provider,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: hasToolCalls && this.text === '' ? null : this.text,
            ...(hasToolCalls ? { tool_calls: this.toolCalls } : {}),
            ...(this.reasoning.length > 0 ? { reasoning: this.reasoning } : {}),
          },
          finishReason: this.finish,
        },
      ],
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }

  /** What arrived so far, complete or not (for the request log; a vendor's native frames are not read). */
  snapshot(): Record<string, unknown> {
    return {
      ...(this.id ? { id: this.id } : {}),
      model: this.origin.model,
      content: this.text,
      ...(this.toolCalls.length > 0 ? { tool_calls: this.toolCalls } : {}),
      ...(this.finish ? { finish_reason: this.finish.raw ?? this.finish.unified } : {}),
      ...(this.usage ? { usage: this.usage } : {}),
      ...(this.native ? { native: true } : {}),
      complete: this.finish !== undefined,
    };
  }

  private note(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.created = event.created;
        break;
      case 'text-delta':
        if (event.choiceIndex !== 0) this.unsupported = true;
        this.text += event.text;
        break;
      case 'reasoning-delta':
        if (event.choiceIndex !== 0) this.unsupported = true;
        this.noteReasoning(event);
        break;
      case 'tool-call-delta':
        this.noteToolCall(event);
        break;
      case 'finish':
        this.finish = event.reason;
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'openai-chunk':
        // Pass-through chunks are expanded once, and only when caching is on.
        for (const expanded of expandOpenAIChunk(event)) this.note(expanded);
        break;
      case 'native':
        // A vendor's own frames cannot be replayed in another shape: such streams are not kept.
        this.unsupported = true;
        this.native = true;
        break;
      case 'error':
        this.unsupported = true;
        break;
    }
  }

  /** A signature (or withheld reasoning) closes the part it ends, as the event defines. */
  private noteReasoning(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): void {
    let part = this.reasoning.at(-1);
    if (!part || part.signature !== undefined || part.encrypted !== undefined)
      this.reasoning.push((part = { text: '' }));
    part.text += event.text;
    if (event.signature !== undefined) part.signature = event.signature;
    if (event.encrypted !== undefined) part.encrypted = event.encrypted;
    if (event.origin !== undefined) part.origin = event.origin;
  }

  private noteToolCall(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): void {
    const call = (this.toolCalls[event.toolCallIndex] ??= {
      id: event.id ?? '',
      type: 'function',
      function: { name: event.name ?? '', arguments: '' },
    });
    if (event.id) call.id = event.id;
    if (event.name) call.function.name = event.name;
    call.function.arguments += event.argumentsDelta;
  }
}
