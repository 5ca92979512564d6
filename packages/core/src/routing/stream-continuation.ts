// Mid-stream continuation: what the client has been shown of a stream, so that a stream broken
// after its first token can be continued on a target that accepts an assistant prefill, and the
// continuation spliced into the client's stream as if nothing had happened (the same id, no
// second role chunk, usage summed).
import type { ChatMessage, ChatRequest } from '../spec/chat-request.ts';
import type { Usage } from '../spec/chat-response.ts';
import { expandOpenAIChunk } from '../spec/openai-chunk.ts';
import type { StartEvent, StreamEvent } from '../spec/stream-events.ts';

/** Past this much delivered text a stream is not continued (the prefill would be too large). */
const MAX_PREFILL_CHARS = 1_000_000;

/** The continuation request and how to splice its stream. */
export interface Prefill {
  request: ChatRequest;
  /** Trailing whitespace cut from the prefill (vendors refuse it); dropped again from the reply. */
  strippedSuffix: string;
}

/**
 * Records what a stream handed to the client, cheaply: typed text is appended, pass-through
 * chunks are only kept (expanded once, and only if the stream breaks or its usage must be
 * counted).
 */
export class DeliveredStream {
  private text = '';
  /** Tool-call names and arguments, and text of other choices: counted, never continued. */
  private otherOutput = '';
  private chunks: Extract<StreamEvent, { type: 'openai-chunk' }>[] = [];
  private start: StartEvent | undefined;
  private size = 0;
  /** Something a prefill cannot carry was shown: tool calls, a second choice, native frames. */
  private continuable = true;
  usage: Usage | undefined;

  note(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        this.start ??= event;
        return;
      case 'text-delta':
        if (event.choiceIndex === 0) this.text += event.text;
        else {
          this.continuable = false;
          this.otherOutput += event.text;
        }
        this.size += event.text.length;
        return;
      case 'tool-call-delta':
        this.continuable = false;
        this.otherOutput += (event.name ?? '') + event.argumentsDelta;
        return;
      case 'openai-chunk':
        this.chunks.push(event);
        this.size += event.data.length;
        return;
      case 'usage':
        this.usage = event.usage;
        return;
      case 'native':
        this.continuable = false;
        return;
      default:
        return;
    }
  }

  /** Everything the model produced for the client, as text to count tokens of. */
  outputText(): string {
    let text = this.text + this.otherOutput;
    for (const chunk of this.chunks)
      for (const event of expandOpenAIChunk(chunk)) {
        if (event.type === 'text-delta') text += event.text;
        else if (event.type === 'tool-call-delta')
          text += (event.name ?? '') + event.argumentsDelta;
      }
    return text;
  }

  /** The request that continues the answer, or undefined when it cannot be continued. */
  prefill(request: ChatRequest): Prefill | undefined {
    if (!this.continuable || this.size > MAX_PREFILL_CHARS || (request.n ?? 1) > 1)
      return undefined;
    const shown = this.shown();
    if (!shown || shown.toolCalls || shown.text.trim() === '') return undefined;
    const content = shown.text.trimEnd();
    const assistant: ChatMessage = { role: 'assistant', content };
    return {
      request: { ...request, messages: [...request.messages, assistant] },
      strippedSuffix: shown.text.slice(content.length),
    };
  }

  /** The identity the client saw: the first `start`, or the first pass-through chunk's. */
  identity(): StartEvent | undefined {
    if (this.start) return this.start;
    for (const chunk of this.chunks) {
      const start = expandOpenAIChunk(chunk).find((event) => event.type === 'start');
      if (start?.type === 'start') return start;
    }
    return undefined;
  }

  private shown(): { text: string; toolCalls: boolean } | undefined {
    if (this.chunks.length === 0) return { text: this.text, toolCalls: false };
    let text = this.text;
    for (const chunk of this.chunks)
      for (const event of expandOpenAIChunk(chunk)) {
        if (event.type === 'tool-call-delta') return { text, toolCalls: true };
        if (event.type === 'text-delta') {
          if (event.choiceIndex !== 0) return undefined;
          text += event.text;
        }
      }
    return { text, toolCalls: false };
  }
}

/**
 * Rewrites a continuation's events for the client's stream: its own `start` and role become one
 * identity-only `start` carrying the original id, pass-through chunks become typed events (so the
 * original id is used), the whitespace cut from the prefill is dropped once, and usage is summed
 * with what the first stream reported.
 */
export class ContinuationSplice {
  private pendingSuffix: string;
  private sentIdentity = false;

  constructor(
    private readonly identity: StartEvent | undefined,
    strippedSuffix: string,
    private readonly earlierUsage: Usage | undefined,
  ) {
    this.pendingSuffix = strippedSuffix;
  }

  transform(event: StreamEvent): StreamEvent[] {
    const events = event.type === 'openai-chunk' ? expandOpenAIChunk(event) : [event];
    const out: StreamEvent[] = [];
    if (!this.sentIdentity && this.identity) {
      this.sentIdentity = true;
      out.push({ ...this.identity, continued: true });
    }
    for (const each of events) {
      const spliced = this.splice(each);
      if (spliced) out.push(spliced);
    }
    return out;
  }

  private splice(event: StreamEvent): StreamEvent | undefined {
    switch (event.type) {
      case 'start':
        return undefined;
      case 'text-delta':
        return this.withoutSuffix(event);
      case 'usage':
        return { type: 'usage', usage: sumUsage(this.earlierUsage, event.usage) };
      default:
        return event;
    }
  }

  private withoutSuffix(event: Extract<StreamEvent, { type: 'text-delta' }>): StreamEvent {
    if (!this.pendingSuffix) return event;
    const suffix = this.pendingSuffix;
    this.pendingSuffix = '';
    if (event.text.startsWith(suffix)) return { ...event, text: event.text.slice(suffix.length) };
    return event;
  }
}

function sumUsage(earlier: Usage | undefined, later: Usage): Usage {
  if (!earlier) return later;
  return {
    ...later,
    inputTokens: earlier.inputTokens + later.inputTokens,
    outputTokens: earlier.outputTokens + later.outputTokens,
    totalTokens: earlier.totalTokens + later.totalTokens,
  };
}
