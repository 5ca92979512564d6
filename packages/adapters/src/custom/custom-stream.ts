// Streams of custom endpoints (SSE or NDJSON, per the mapping) → typed stream events. The stream
// is complete at the configured `doneData`, or else at the first event carrying a finish reason:
// usage and finish go out at once, then the body is read to its end so the connection goes back
// to the pool. An event with an `error` member is an in-stream error.
import { parseJsonSafe, UpstreamError, type StreamEvent } from '@switchyard/core';
import { type CompiledStreamFormat } from './custom-format.ts';
import {
  parseLines,
  parseSse,
  toNetworkError,
  type HttpRequest,
  type HttpResponse,
} from '../http/index.ts';
import { describeCustomError } from './custom-error.ts';
import { customUsage, newCustomResponseId, readCustomAnswer } from './custom-response.ts';
import { mapCustomFinishReason } from './map-custom-finish-reason.ts';

export interface CustomStreamContext {
  response: HttpResponse;
  request: Pick<HttpRequest, 'signal' | 'deadline' | 'provider' | 'url'>;
  model: string;
  format: CompiledStreamFormat;
}

async function* payloads(
  body: HttpResponse['body'],
  format: CompiledStreamFormat,
): AsyncGenerator<string> {
  if (format.framing === 'ndjson') yield* parseLines(body);
  else for await (const message of parseSse(body)) yield message.data;
}

function hasError(value: unknown): value is { error: unknown } {
  return value !== null && typeof value === 'object' && 'error' in value && value.error != null;
}

function* closingEvents(
  finishReason: string | undefined,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): Generator<StreamEvent> {
  const usage = customUsage(inputTokens, outputTokens);
  if (usage) yield { type: 'usage', usage };
  yield { type: 'finish', choiceIndex: 0, reason: mapCustomFinishReason(finishReason) };
}

export async function* customStreamEvents(
  context: CustomStreamContext,
): AsyncGenerator<StreamEvent> {
  const { response, request, format } = context;
  const provider = request.provider;
  let ended = false;
  let completed = false;
  let finishReason: string | undefined;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  try {
    yield {
      type: 'start',
      id: newCustomResponseId(),
      model: context.model,
      created: Math.floor(Date.now() / 1000),
    };
    for await (const data of payloads(response.body, format)) {
      if (ended) continue;
      if (format.doneData !== undefined && data === format.doneData) {
        ended = true;
        yield* closingEvents(finishReason, inputTokens, outputTokens);
        continue;
      }
      const value = parseJsonSafe(data);
      if (value === undefined) {
        yield {
          type: 'error',
          error: new UpstreamError({
            kind: 'protocol',
            message: `${provider}: a stream event is not JSON`,
            provider,
          }),
        };
        return;
      }
      if (hasError(value)) {
        const described = describeCustomError(value);
        yield {
          type: 'error',
          error: new UpstreamError({
            kind: 'server',
            message: `${provider}: ${described.message ?? 'error in stream'}`,
            provider,
            ...(described.code ? { code: described.code } : {}),
          }),
        };
        return;
      }
      const answer = readCustomAnswer(value, format, provider);
      if (answer.text) yield { type: 'text-delta', choiceIndex: 0, text: answer.text };
      finishReason = answer.finishReason ?? finishReason;
      inputTokens = answer.inputTokens ?? inputTokens;
      outputTokens = answer.outputTokens ?? outputTokens;
      if (format.doneData === undefined && answer.finishReason !== undefined) {
        ended = true;
        yield* closingEvents(finishReason, inputTokens, outputTokens);
      }
    }
    if (!ended) {
      yield {
        type: 'error',
        error: new UpstreamError({
          kind: 'protocol',
          message: `${provider}: the stream ended before its end marker`,
          provider,
        }),
      };
      return;
    }
    completed = true;
  } catch (error) {
    // the answer was complete; a connection lost while reading past the end changes nothing
    if (ended) return;
    const mapped = toNetworkError(error, request);
    if (!(mapped instanceof UpstreamError)) throw mapped;
    yield { type: 'error', error: mapped };
  } finally {
    if (!completed) response.body.destroy();
  }
}
