// Local and self-hosted OpenAI-compatible servers, as data. A new server of this kind is one
// more entry here; openai-compatible-definition.ts turns each into a provider definition.
import type { OpenAIAnswerChangingField } from '../openai/index.ts';

export interface OpenAICompatiblePreset {
  /** The server's name in error messages. */
  vendor: string;
  /** Its name in the dashboard's "add provider" form. */
  label: string;
  /** A local inference server; otherwise local only when its endpoint is a loopback address. */
  local: boolean;
  /** The health check the dashboard suggests, relative to the server root. */
  healthCheckPath?: string;
  docs?: string;
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
    label: 'LM Studio (local)',
    local: true,
    healthCheckPath: '/v1/models',
    docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
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
    label: 'Ollama',
    local: true,
    healthCheckPath: '/api/tags',
    docs: 'https://github.com/ollama/ollama/blob/main/docs/api.md',
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
    label: 'vLLM',
    local: true,
    healthCheckPath: '/health',
    docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
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
    label: 'LocalAI',
    local: true,
    healthCheckPath: '/readyz',
    docs: 'https://localai.io/',
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
    label: 'OpenAI-compatible server',
    local: false,
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
