// Writes a stream of events as OpenAI `chat.completion.chunk` SSE. Pass-through chunks are
// forwarded as received; typed events are serialised once. Usage is sent last (when asked for),
// `data: [DONE]` only after a clean end, and an error ends the stream with an error event.
import type { StreamEvent } from '../spec/stream-events.ts';
import { toOpenAIFinishReason, toOpenAIUsage, type Usage } from '../spec/chat-response.ts';
import { GatewayError, summarizeFailure, type UpstreamError } from '../spec/errors.ts';
import type { SseEncoder } from './http-route.ts';

export interface SseOptions {
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Used for typed events when the upstream sent no `start`. */
  fallbackId: string;
  fallbackModel: string;
}

const DONE = 'data: [DONE]\n\n';

/** A stream's error frame: the classified failure, never the upstream's own text. */
export function sseError(
  error: Pick<UpstreamError, 'kind' | 'code' | 'provider' | 'status'>,
): string {
  const failure = new GatewayError({
    status: 502,
    type: 'upstream_error',
    code: error.code ?? error.kind,
    message: summarizeFailure(error),
  });
  return `data: ${JSON.stringify(failure.toJSON())}\n\n`;
}

/**
 * Turns events into SSE frames one at a time (synchronously, so a server can write each frame as
 * its event arrives without another async layer). `encode` returns '' for events that produce no
 * frame; after an error frame the stream is over and `finish` returns ''.
 */
export class OpenAISseEncoder implements SseEncoder {
  private id: string;
  private model: string;
  private created = Math.floor(Date.now() / 1000);
  private usage: Usage | undefined;
  private sentRole = false;
  private failed = false;

  constructor(private readonly options: SseOptions) {
    this.id = options.fallbackId;
    this.model = options.fallbackModel;
  }

  /** True once an error frame was sent: nothing may follow it. */
  get ended(): boolean {
    return this.failed;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'openai-chunk':
        if (event.usage && !event.hasOutput && !event.finish && !this.options.includeUsage)
          return '';
        return `data: ${event.data}\n\n`;
      case 'start':
        this.id = event.id || this.id;
        this.model = event.model || this.model;
        this.created = event.created || this.created;
        if (this.sentRole || event.continued) return '';
        this.sentRole = true;
        return this.chunk([
          {
            index: 0,
            delta: { role: 'assistant', content: '' },
            logprobs: null,
            finish_reason: null,
          },
        ]);
      case 'text-delta':
        return this.chunk([
          {
            index: event.choiceIndex,
            delta: { content: event.text },
            logprobs: null,
            finish_reason: null,
          },
        ]);
      case 'reasoning-delta':
        // DeepSeek/vLLM style; a signature alone has no chat form
        return event.text
          ? this.chunk([
              {
                index: event.choiceIndex,
                delta: { reasoning_content: event.text },
                logprobs: null,
                finish_reason: null,
              },
            ])
          : '';
      case 'tool-call-delta':
        return this.chunk([
          {
            index: event.choiceIndex,
            delta: {
              tool_calls: [
                {
                  index: event.toolCallIndex,
                  ...(event.id ? { id: event.id, type: 'function' } : {}),
                  function: event.name
                    ? { name: event.name, arguments: event.argumentsDelta }
                    : { arguments: event.argumentsDelta },
                },
              ],
            },
            logprobs: null,
            finish_reason: null,
          },
        ]);
      case 'finish':
        return this.chunk([
          {
            index: event.choiceIndex,
            delta: {},
            logprobs: null,
            finish_reason: toOpenAIFinishReason(event.reason),
          },
        ]);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'native':
        // Only a dialect that asked for native frames receives them; chat never does.
        return '';
      case 'error':
        this.failed = true;
        return sseError(event.error);
    }
  }

  /** The closing frames after a clean end: usage (when asked for), then `[DONE]`. */
  finish(): string {
    if (this.failed) return '';
    const usage =
      this.usage && this.options.includeUsage
        ? this.chunk([], { usage: toOpenAIUsage(this.usage) })
        : '';
    return usage + DONE;
  }

  private chunk(choices: unknown[], extra?: Record<string, unknown>): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices, ...extra })}\n\n`;
  }
}
