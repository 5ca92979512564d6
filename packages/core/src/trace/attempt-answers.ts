// An attempt's answer in the tracer's terms, from a response, an embedding or a finished stream.
import type { ChatResponse } from '../spec/chat-response.ts';
import type { EmbeddingResponse } from '../spec/embedding-response.ts';
import { expandOpenAIChunk } from '../spec/openai-chunk.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { StreamSummary } from '../routing/route-types.ts';
import type { AttemptAnswer } from './request-tracer.ts';

export function chatAnswer(response: ChatResponse, capturesContent: boolean): AttemptAnswer {
  const answer: AttemptAnswer = {
    responseId: response.id,
    responseModel: response.model,
    finishReasons: response.choices.map((choice) => choice.finishReason.unified),
    inputTokens: response.usage?.inputTokens,
    outputTokens: response.usage?.outputTokens,
  };
  if (capturesContent)
    answer.outputText = response.choices.map((choice) => choice.message.content ?? '');
  return answer;
}

export function embeddingAnswer(response: EmbeddingResponse): AttemptAnswer {
  return { responseModel: response.model, inputTokens: response.usage.inputTokens };
}

/** What a traced stream showed its client: identity, finish reasons and (when captured) text. */
export class StreamNotes {
  private responseId: string | undefined;
  private responseModel: string | undefined;
  private readonly finishReasons: string[] = [];
  private readonly text: string[] = [];

  constructor(private readonly capturesContent: boolean) {}

  /** Passes the events on, noting each one; a plain iterator, not a generator, per event. */
  observe(events: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
    return {
      [Symbol.asyncIterator]: () => {
        const inner = events[Symbol.asyncIterator]();
        return {
          next: async () => {
            const next = await inner.next();
            if (!next.done) this.note(next.value);
            return next;
          },
          return: async () => (await inner.return?.()) ?? { done: true, value: undefined },
        };
      },
    };
  }

  answer(summary: StreamSummary): AttemptAnswer {
    const answer: AttemptAnswer = {
      responseId: this.responseId,
      responseModel: this.responseModel,
      finishReasons: this.finishReasons.length > 0 ? this.finishReasons : undefined,
      inputTokens: summary.usage?.inputTokens,
      outputTokens: summary.usage?.outputTokens,
      firstTokenAt: summary.firstTokenAt,
      error: summary.error,
    };
    if (this.capturesContent) answer.outputText = this.text;
    return answer;
  }

  private note(event: StreamEvent): void {
    switch (event.type) {
      case 'start':
        // A continuation's identity repeats the first one: the first stays.
        this.responseId ??= event.id || undefined;
        this.responseModel ??= event.model || undefined;
        break;
      case 'text-delta':
        if (this.capturesContent)
          this.text[event.choiceIndex] = (this.text[event.choiceIndex] ?? '') + event.text;
        break;
      case 'finish':
        this.finishReasons[event.choiceIndex] = event.reason.unified;
        break;
      case 'openai-chunk':
        // Pass-through chunks carry identity and text only in their JSON: read once, when traced.
        for (const expanded of expandOpenAIChunk(event)) this.note(expanded);
        break;
      case 'native':
        if (event.finish) this.finishReasons[0] = event.finish.unified;
        break;
      default:
        break;
    }
  }
}
