// The legacy Completions answer: the vendor's own body or frames when a target passed the
// request through, else the chat answer mapped back (`text`, `finish_reason`, usage) as a
// `text_completion` body or SSE chunks.
import {
  toOpenAIFinishReason,
  toOpenAIUsage,
  type ChatResponse,
  type Usage,
} from '../../spec/chat-response.ts';
import { expandOpenAIChunk } from '../../spec/openai-chunk.ts';
import type { StreamEvent } from '../../spec/stream-events.ts';
import { sseError } from '../../http/openai-sse.ts';
import type { SseEncoder } from '../../http/http-route.ts';

const DIALECT = 'openai-completions';

/** `stop` for tool calls and anything else that is not a Completions finish reason. */
function completionsFinish(reason: Parameters<typeof toOpenAIFinishReason>[0]): string {
  const mapped = toOpenAIFinishReason(reason);
  return mapped === 'tool_calls' ? 'stop' : mapped;
}

/** The `text_completion` body of a chat answer; `echo` puts the prompt in front of the text. */
export function toCompletionBody(response: ChatResponse, echo: string | undefined): string {
  if (response.native?.dialect === DIALECT) return response.native.body;
  return JSON.stringify({
    id: response.id.startsWith('cmpl-') ? response.id : `cmpl-${response.id}`,
    object: 'text_completion',
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      text: (echo ?? '') + (choice.message.content ?? ''),
      index: choice.index,
      logprobs: null,
      finish_reason: completionsFinish(choice.finishReason),
    })),
    ...(response.usage ? { usage: toOpenAIUsage(response.usage) } : {}),
  });
}

export interface CompletionsSseOptions {
  includeUsage: boolean;
  id: string;
  model: string;
  /** The prompt, sent first when the request asked for `echo`. */
  echo: string | undefined;
}

/** Completions SSE: native frames as they came; typed events as `text_completion` chunks. */
export class CompletionsSseEncoder implements SseEncoder {
  private failed = false;
  private usage: Usage | undefined;
  private echoed = false;
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly options: CompletionsSseOptions) {}

  get ended(): boolean {
    return this.failed;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'native':
        return event.dialect === DIALECT ? event.frame : '';
      case 'openai-chunk':
        return expandOpenAIChunk(event)
          .map((expanded) => this.encode(expanded))
          .join('');
      case 'start':
        return this.echo();
      case 'text-delta':
        return this.echo() + this.chunk(event.choiceIndex, event.text, null);
      case 'finish':
        return this.chunk(event.choiceIndex, '', completionsFinish(event.reason));
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        this.failed = true;
        return sseError(event.error);
      default:
        return '';
    }
  }

  finish(): string {
    if (this.failed) return '';
    const usage =
      this.usage && this.options.includeUsage
        ? this.frame({ choices: [], usage: toOpenAIUsage(this.usage) })
        : '';
    return `${usage}data: [DONE]\n\n`;
  }

  private echo(): string {
    if (this.echoed || this.options.echo === undefined) return '';
    this.echoed = true;
    return this.chunk(0, this.options.echo, null);
  }

  private chunk(index: number, text: string, finish: string | null): string {
    return this.frame({ choices: [{ text, index, logprobs: null, finish_reason: finish }] });
  }

  private frame(fields: Record<string, unknown>): string {
    const base = {
      id: this.options.id,
      object: 'text_completion',
      created: this.created,
      model: this.options.model,
    };
    return `data: ${JSON.stringify({ ...base, ...fields })}\n\n`;
  }
}
