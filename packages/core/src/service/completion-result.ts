// The one result of a served chat completion, whole or streamed.
import type { RequestOutcome } from '../metrics/gateway-events.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import type { AttemptRecord } from '../spec/errors.ts';
import type { StreamEvent } from '../spec/stream-events.ts';

export interface CompletionResult<Output = ChatResponse> {
  requestId: string;
  /** The provider that served the answer (`cache` for a cached answer without one). */
  provider: string;
  model: string;
  attempts: AttemptRecord[];
  cache: 'hit' | 'miss' | undefined;
  /** The answer: a whole response, or the stream's events. */
  output: Output;
  /** Settles once the request ended (at once for a whole answer, after a stream's last event); never rejects. */
  done: Promise<RequestOutcome>;
}

export type StreamedCompletion = CompletionResult<AsyncIterable<StreamEvent>>;
