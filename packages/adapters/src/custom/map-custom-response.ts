// Reads a custom endpoint's answer through the compiled paths of its mapping and builds the
// unified ChatResponse.
import { randomUUID } from 'node:crypto';
import { makeUsage, UpstreamError, type ChatResponse, type Usage } from '@switchyard/core';
import { readJsonPath, type CompiledAnswerPaths, type JsonPath } from './custom-format.ts';
import { mapCustomFinishReason } from './map-custom-finish-reason.ts';

export interface CustomAnswer {
  /** Undefined when the path found nothing (or null). */
  text: string | undefined;
  finishReason: string | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

/** A token count at `path`, as a number or numeric text. */
export function readNumber(value: unknown, path: JsonPath | undefined): number | undefined {
  if (!path) return undefined;
  const found = readJsonPath(value, path);
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (typeof found === 'string' && found.trim() !== '' && Number.isFinite(Number(found)))
    return Number(found);
  return undefined;
}

/** Reads the answer's parts; a text that is present but not a string is a protocol error. */
export function readCustomAnswer(
  value: unknown,
  paths: CompiledAnswerPaths,
  provider: string,
): CustomAnswer {
  const text = readJsonPath(value, paths.text);
  if (text !== undefined && text !== null && typeof text !== 'string')
    throw new UpstreamError({
      kind: 'protocol',
      message: `${provider}: the value at the text path is a ${typeof text}, not text`,
      provider,
    });
  const finish = paths.finishReason ? readJsonPath(value, paths.finishReason) : undefined;
  return {
    text: typeof text === 'string' ? text : undefined,
    finishReason: typeof finish === 'string' ? finish : undefined,
    inputTokens: readNumber(value, paths.inputTokens),
    outputTokens: readNumber(value, paths.outputTokens),
  };
}

/** Usage when the endpoint reported any token count. */
export function customUsage(
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): Usage | undefined {
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  return makeUsage(inputTokens ?? 0, outputTokens ?? 0);
}

export function newCustomResponseId(): string {
  return `custom-${randomUUID()}`;
}

export interface CustomResponseContext {
  provider: string;
  /** Where the mapping finds text, finish reason and token counts. */
  paths: CompiledAnswerPaths;
  /** The answer's HTTP status, named in protocol errors. */
  status?: number;
}

/** A 2xx body read through the mapping's answer paths; refused when it is not JSON. */
export function mapCustomResponse(
  value: unknown,
  model: string,
  context: CustomResponseContext,
): ChatResponse {
  const { provider, paths } = context;
  if (value === undefined)
    throw new UpstreamError({
      kind: 'protocol',
      message: `${provider}: the answer is not JSON`,
      provider,
      status: context.status,
    });
  const answer = readCustomAnswer(value, paths, provider);
  const finishReason = mapCustomFinishReason(answer.finishReason);
  // a filtered answer may carry no text; any other answer without it means the path is wrong
  if (answer.text === undefined && finishReason.unified !== 'content_filter')
    throw new UpstreamError({
      kind: 'protocol',
      message: `${provider}: the answer has no text at the configured text path`,
      provider,
    });
  const usage = customUsage(answer.inputTokens, answer.outputTokens);
  return {
    id: newCustomResponseId(),
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: answer.text ?? null }, finishReason },
    ],
    ...(usage ? { usage } : {}),
  };
}
