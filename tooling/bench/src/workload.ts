// What every target is asked: the same small chat completion, streamed or not, against an
// upstream that answers at once or after 50 ms.

export const MOCK_API_KEY = 'sk-bench-upstream';
export const GATEWAY_API_KEY = 'sk-bench-switchyard-client';
export const MOCK_REPLY =
  'Switchyard benchmark answer: a short paragraph of plain text, long enough to be split into twenty stream chunks the way a model streams.';
export const STREAM_CHUNKS = 20;
export const SLOW_LATENCY_MS = 50;
/** The vendor model id the upstream is asked for. */
export const UPSTREAM_MODEL = 'gpt-4o-mini';

/** The Anthropic model the Anthropic mock is asked for. */
export const ANTHROPIC_MODEL = 'claude-haiku-4-5';
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * `tick` is the upstream of the 2,000-stream scenario: a numbered frame every 50 ms, as many
 * frames as the request's `max_tokens` asks for.
 */
export type Upstream = 'fast' | 'slow' | 'tick';

const SYSTEM = 'You are a helpful assistant.';
const QUESTION = 'Write one short paragraph about load testing.';

/** An OpenAI Chat request; `maxTokens` is the frame count for the tick upstream. */
export function chatBody(model: string, stream: boolean, maxTokens = 64): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ],
    max_tokens: maxTokens,
    ...(stream ? { stream: true } : {}),
  });
}

/** The same request in Anthropic's Messages API. */
export function messagesBody(model: string, stream: boolean, maxTokens = 64): string {
  return JSON.stringify({
    model,
    system: SYSTEM,
    messages: [{ role: 'user', content: QUESTION }],
    max_tokens: maxTokens,
    ...(stream ? { stream: true } : {}),
  });
}
