// Writes a stream of events as OpenAI `chat.completion.chunk` SSE. Pass-through chunks are
// forwarded as received; typed events are serialised once. Usage is sent last (when asked for),
// `data: [DONE]` only after a clean end, and an error ends the stream with an error event.
import type { StreamEvent } from '../spec/stream-events.ts';
import { toOpenAIFinishReason, toOpenAIUsage, type Usage } from '../spec/chat-response.ts';
import type { UpstreamError } from '../spec/errors.ts';

export interface SseOptions {
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Used for typed events when the upstream sent no `start`. */
  fallbackId: string;
  fallbackModel: string;
}

const DONE = 'data: [DONE]\n\n';

export function sseError(error: Pick<UpstreamError, 'message' | 'kind' | 'code'>): string {
  return `data: ${JSON.stringify({ error: { message: error.message, type: 'upstream_error', param: null, code: error.code ?? error.kind } })}\n\n`;
}

/** Yields SSE text frames for the events. */
export async function* toOpenAISse(events: AsyncIterable<StreamEvent>, options: SseOptions): AsyncGenerator<string> {
  let id = options.fallbackId;
  let model = options.fallbackModel;
  let created = Math.floor(Date.now() / 1000);
  let usage: Usage | undefined;
  let sentRole = false;
  const chunk = (choices: unknown[], extra?: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`;

  for await (const event of events) {
    switch (event.type) {
      case 'openai-chunk':
        if (event.usage && !event.hasOutput && !event.finish && !options.includeUsage) continue;
        yield `data: ${event.data}\n\n`;
        continue;
      case 'start':
        id = event.id || id;
        model = event.model || model;
        created = event.created || created;
        if (!sentRole) {
          sentRole = true;
          yield chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
        }
        continue;
      case 'text-delta':
        yield chunk([{ index: event.choiceIndex, delta: { content: event.text }, logprobs: null, finish_reason: null }]);
        continue;
      case 'tool-call-delta':
        yield chunk([
          {
            index: event.choiceIndex,
            delta: {
              tool_calls: [
                {
                  index: event.toolCallIndex,
                  ...(event.id ? { id: event.id, type: 'function' } : {}),
                  function: { ...(event.name ? { name: event.name } : {}), arguments: event.argumentsDelta },
                },
              ],
            },
            logprobs: null,
            finish_reason: null,
          },
        ]);
        continue;
      case 'finish':
        yield chunk([{ index: event.choiceIndex, delta: {}, logprobs: null, finish_reason: toOpenAIFinishReason(event.reason) }]);
        continue;
      case 'usage':
        usage = event.usage;
        continue;
      case 'error':
        yield sseError(event.error);
        return;
    }
  }
  if (usage && options.includeUsage) yield chunk([], { usage: toOpenAIUsage(usage) });
  yield DONE;
}
