// The unified (non-streamed) chat response. It keeps OpenAI's shape so apps can read
// `choices[0].message.content` as before, and carries the finish reason and usage as
// `{ unified, raw }` so vendor detail is never lost.
import type { NativeResponse } from './native-dialect.ts';
import type { ToolCall } from './chat-request.ts';

export type UnifiedFinishReason =
  'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

export interface FinishReason {
  unified: UnifiedFinishReason;
  /** The vendor's own value (`end_turn`, `MAX_TOKENS`, `max_tokens`, …), or null when absent. */
  raw: string | null;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Prompt tokens read from the vendor's prompt cache (part of `inputTokens`). */
  cachedInputTokens?: number;
  /** Prompt tokens written to the vendor's prompt cache (part of `inputTokens`). */
  cacheWriteInputTokens?: number;
  /** Reasoning (thinking) tokens (part of `outputTokens`). */
  reasoningTokens?: number;
  /** OpenAI's `prompt_tokens_details` / `completion_tokens_details` as the vendor sent them. */
  details?: UsageDetails;
  /** Counted by the gateway because the upstream reported none. */
  estimated?: boolean;
}

export interface UsageDetails {
  prompt_tokens_details?: Record<string, unknown>;
  completion_tokens_details?: Record<string, unknown>;
}

/** One part of the model's reasoning, in the order the vendor gave the parts. */
export interface ReasoningPart {
  text: string;
  /** The vendor's signature over the part, needed to send it back. */
  signature?: string;
  /** Opaque reasoning the vendor withheld (redacted thinking), kept as sent. */
  encrypted?: string;
  /**
   * Who can verify `signature` / `encrypted`: the signing family the adapter that received the
   * part names. A part goes back only to an adapter of that family; others drop it.
   */
  origin?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  /** The reasoning that preceded the answer, when the vendor showed it. */
  reasoning?: ReasoningPart[];
  tool_calls?: ToolCall[];
  refusal?: string | null;
  /** Other message fields an OpenAI-shaped vendor sent (`annotations`, `audio`, …), kept as sent. */
  extra?: Record<string, unknown>;
}

export interface ChatChoice {
  index: number;
  message: AssistantMessage;
  finishReason: FinishReason;
  /** The choice's `logprobs`, when the vendor sent them. */
  logprobs?: unknown;
  /** Other choice fields (content filter results, …), kept as sent. */
  extra?: Record<string, unknown>;
}

export interface ChatResponse {
  id: string;
  created: number;
  /** The model that answered, as the vendor named it. */
  model: string;
  choices: ChatChoice[];
  usage?: Usage;
  systemFingerprint?: string;
  /** Other top-level fields (`service_tier`, `prompt_filter_results`, …), kept as sent. */
  extra?: Record<string, unknown>;
  /** The provider id that served the request; set by the router. */
  provider?: string;
  /** The vendor's own body, when it answered a natively spoken dialect (see `native-dialect.ts`). */
  native?: NativeResponse;
}

/** OpenAI wire format of a finish reason: everything that is not a known OpenAI value becomes `stop`. */
export function toOpenAIFinishReason(
  reason: FinishReason,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (reason.unified) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason.unified;
    default:
      return 'stop';
  }
}

export function toOpenAIUsage(usage: Usage): {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: Record<string, unknown>;
  completion_tokens_details?: Record<string, unknown>;
} {
  const prompt = usage.details?.prompt_tokens_details;
  const completion = usage.details?.completion_tokens_details;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    ...(usage.cachedInputTokens !== undefined || prompt
      ? { prompt_tokens_details: withCount(prompt, 'cached_tokens', usage.cachedInputTokens) }
      : {}),
    ...(usage.reasoningTokens !== undefined || completion
      ? {
          completion_tokens_details: withCount(
            completion,
            'reasoning_tokens',
            usage.reasoningTokens,
          ),
        }
      : {}),
  };
}

/**
 * A copy of the vendor's detail object with our count set. Object.assign rather than a spread
 * followed by a member, which V8 makes slow (every request's usage goes through here).
 */
function withCount(
  details: Record<string, unknown> | undefined,
  name: string,
  count: number | undefined,
): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.assign({}, details);
  if (count !== undefined) copy[name] = count;
  return copy;
}

export function makeUsage(
  inputTokens: number,
  outputTokens: number,
  extra?: Partial<Usage>,
): Usage {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...extra };
}

/** The response as OpenAI's `chat.completion` object. */
export function toOpenAIChatCompletion(response: ChatResponse): Record<string, unknown> {
  return {
    id: response.id,
    object: 'chat.completion',
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      message: {
        role: 'assistant',
        content: choice.message.content,
        refusal: choice.message.refusal ?? null,
        ...(choice.message.tool_calls?.length ? { tool_calls: choice.message.tool_calls } : {}),
        ...(choice.message.extra?.reasoning_content === undefined &&
        choice.message.extra?.reasoning === undefined
          ? reasoningContent(choice.message.reasoning)
          : {}),
        ...choice.message.extra,
      },
      logprobs: choice.logprobs ?? null,
      finish_reason: toOpenAIFinishReason(choice.finishReason),
      ...choice.extra,
    })),
    ...(response.usage ? { usage: toOpenAIUsage(response.usage) } : {}),
    ...(response.systemFingerprint ? { system_fingerprint: response.systemFingerprint } : {}),
    ...response.extra,
  };
}

/** All the reasoning text of a message, parts joined. */
export function reasoningText(parts: ReasoningPart[] | undefined): string {
  return (parts ?? []).map((part) => part.text).join('');
}

/**
 * Chat Completions has no reasoning field of its own; `reasoning_content` is the one DeepSeek,
 * vLLM and LM Studio send and their clients read. Signatures have no chat form and are dropped.
 */
function reasoningContent(parts: ReasoningPart[] | undefined): { reasoning_content?: string } {
  const text = reasoningText(parts);
  return text ? { reasoning_content: text } : {};
}
