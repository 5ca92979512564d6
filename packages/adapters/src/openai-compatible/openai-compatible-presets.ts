// Local and self-hosted OpenAI-compatible servers, as data. A new server of this kind is one
// more entry here (plus its provider type in core's config schema and a registry line).
import type { OpenAIAnswerChangingField } from '../openai/index.ts';

export interface OpenAICompatiblePreset {
  /** The server's name in error messages. */
  vendor: string;
  /** Used when the provider has no endpoint; none means the endpoint is required. */
  defaultEndpoint?: string;
  /** The cheap liveness check, relative to the server root. */
  probePath: string;
  /** Understands `stream_options.include_usage`. */
  streamUsage: boolean;
  /** Understands `max_completion_tokens` (otherwise it is sent as `max_tokens`). */
  maxCompletionTokens: boolean;
  /** Fetches http(s) image URLs itself. */
  imageUrls: boolean;
  toolChoice: boolean;
  /** Takes `response_format: {type: "json_object"}` (otherwise it is sent as a JSON schema). */
  jsonObject: boolean;
  unsupported: readonly OpenAIAnswerChangingField[];
  /** Error texts meaning "the model is not loaded / still loading" (retry later or elsewhere). */
  modelLoading: readonly RegExp[];
}

/** Wording shared by llama.cpp-based servers and model managers. */
const LOADING = [
  /loading model/i,
  /model (is )?(still )?loading/i,
  /model (is )?not (yet )?loaded/i,
  /model is unloaded/i,
  /no models? (is |are )?loaded/i,
];

export const OPENAI_COMPATIBLE_PRESETS = {
  lmstudio: {
    vendor: 'LM Studio',
    defaultEndpoint: 'http://127.0.0.1:1234',
    probePath: '/v1/models',
    streamUsage: false,
    maxCompletionTokens: false,
    imageUrls: false,
    toolChoice: true,
    jsonObject: false,
    unsupported: ['n', 'logprobs', 'top_logprobs'],
    modelLoading: LOADING,
  },
  ollama: {
    vendor: 'Ollama',
    defaultEndpoint: 'http://127.0.0.1:11434',
    probePath: '/api/version',
    streamUsage: true,
    maxCompletionTokens: false,
    imageUrls: false,
    toolChoice: false,
    jsonObject: true,
    unsupported: ['n', 'logprobs', 'top_logprobs', 'logit_bias'],
    modelLoading: [...LOADING, /llm server loading model/i],
  },
  vllm: {
    vendor: 'vLLM',
    defaultEndpoint: 'http://127.0.0.1:8000',
    probePath: '/health',
    streamUsage: true,
    maxCompletionTokens: true,
    imageUrls: true,
    toolChoice: true,
    jsonObject: true,
    unsupported: [],
    modelLoading: LOADING,
  },
  localai: {
    vendor: 'LocalAI',
    defaultEndpoint: 'http://127.0.0.1:8080',
    probePath: '/readyz',
    streamUsage: false,
    maxCompletionTokens: false,
    imageUrls: true,
    toolChoice: true,
    jsonObject: true,
    unsupported: ['n', 'logprobs', 'top_logprobs'],
    modelLoading: [...LOADING, /could not load model/i],
  },
  'openai-compatible': {
    vendor: 'OpenAI-compatible server',
    probePath: '/v1/models',
    streamUsage: true,
    maxCompletionTokens: true,
    imageUrls: true,
    toolChoice: true,
    jsonObject: true,
    unsupported: [],
    modelLoading: LOADING,
  },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatibleType = keyof typeof OPENAI_COMPATIBLE_PRESETS;

export function isOpenAICompatibleType(type: string): type is OpenAICompatibleType {
  return Object.hasOwn(OPENAI_COMPATIBLE_PRESETS, type);
}
