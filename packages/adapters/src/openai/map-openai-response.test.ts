import { toOpenAIChatCompletion } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { mapOpenAIResponse } from './map-openai-response.ts';

const context = { provider: 'azure-east', vendor: 'Azure OpenAI' };

/** A non-streamed Azure OpenAI answer with the fields beyond the common core. */
const azureAnswer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-2024-08-06',
  service_tier: 'default',
  system_fingerprint: 'fp_1',
  prompt_filter_results: [
    { prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } },
  ],
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'See the docs.',
        refusal: null,
        annotations: [
          { type: 'url_citation', url_citation: { url: 'https://example.com', title: 'Docs' } },
        ],
      },
      logprobs: {
        content: [{ token: 'See', logprob: -0.1, bytes: [83, 101, 101], top_logprobs: [] }],
      },
      finish_reason: 'stop',
      content_filter_results: { hate: { filtered: false, severity: 'safe' } },
    },
  ],
  usage: {
    prompt_tokens: 12,
    completion_tokens: 4,
    total_tokens: 16,
    prompt_tokens_details: { cached_tokens: 2, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      accepted_prediction_tokens: 1,
      rejected_prediction_tokens: 0,
    },
  },
};

describe('mapOpenAIResponse', () => {
  it('keeps what the vendor sent beyond the unified fields, back out in the OpenAI shape', () => {
    const wire = toOpenAIChatCompletion(mapOpenAIResponse(azureAnswer, 'gpt-4o', context));
    expect(wire).toEqual(azureAnswer);
  });

  it('answers logprobs null when the vendor sent none', () => {
    const body = { ...azureAnswer, choices: [{ ...azureAnswer.choices[0], logprobs: null }] };
    const wire = toOpenAIChatCompletion(mapOpenAIResponse(body, 'gpt-4o', context));
    expect((wire.choices as Array<{ logprobs: unknown }>)[0]?.logprobs).toBeNull();
  });
});
