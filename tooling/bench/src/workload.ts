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

export type Upstream = 'fast' | 'slow';

export function chatBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Write one short paragraph about load testing.' },
    ],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}
