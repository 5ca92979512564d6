// Request fields that change the answer and that Anthropic-style APIs (Anthropic, Bedrock
// Converse) cannot honour: refused before sending, so the router can try another provider
// instead of silently serving a different answer.
import type { ChatRequest } from '@switchyard/core';
import { unsupportedParameter, type VendorLabel } from './request-errors.ts';

/** OpenAI fields outside the typed schema that change the answer. */
const ANSWER_CHANGING_EXTRAS = ['audio', 'prediction', 'web_search_options'] as const;

/** Several choices, log probabilities, penalties, and temperatures above 1. */
export function refuseSamplingControls(
  request: ChatRequest,
  source: VendorLabel,
  temperatureRange: string,
): void {
  if ((request.n ?? 1) > 1) throw unsupportedParameter(source, 'n', 'one choice per request');
  if (request.logprobs) throw unsupportedParameter(source, 'logprobs');
  if (request.top_logprobs) throw unsupportedParameter(source, 'top_logprobs');
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0)
    throw unsupportedParameter(source, 'logit_bias');
  if (request.presence_penalty) throw unsupportedParameter(source, 'presence_penalty');
  if (request.frequency_penalty) throw unsupportedParameter(source, 'frequency_penalty');
  if (request.temperature != null && request.temperature > 1)
    throw unsupportedParameter(source, 'temperature', temperatureRange);
}

/** Output other than text, and the OpenAI extras (audio, predictions, web search). */
export function refuseNonTextOutput(request: ChatRequest, source: VendorLabel): void {
  const modalities = request.modalities;
  if (Array.isArray(modalities) && modalities.some((modality) => modality !== 'text'))
    throw unsupportedParameter(source, 'modalities', 'text output only');
  for (const field of ANSWER_CHANGING_EXTRAS) {
    if (request[field] != null) throw unsupportedParameter(source, field);
  }
}
