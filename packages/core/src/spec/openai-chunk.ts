// OpenAI `chat.completion.chunk` helpers: summarise a chunk once for pass-through, and expand it
// into typed events for consumers that need them.
import type { FinishReason, Usage, UsageDetails, UnifiedFinishReason } from './chat-response.ts';
import type { OpenAIChunkEvent, StreamEvent } from './stream-events.ts';
import { parseJsonSafe } from './safe-json.ts';

interface WireChunk {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      refusal?: string | null;
      /** DeepSeek, LM Studio and older vLLM; newer vLLM and OpenRouter say `reasoning`. */
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: Array<{
        index?: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    total_tokens?: number;
    prompt_tokens_details?:
      ({ cached_tokens?: number; cache_write_tokens?: number } & Record<string, unknown>) | null;
    completion_tokens_details?: ({ reasoning_tokens?: number } & Record<string, unknown>) | null;
  } | null;
}

const OPENAI_FINISH: Record<string, UnifiedFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason | undefined {
  if (raw === null || raw === undefined) return undefined;
  return { unified: OPENAI_FINISH[raw] ?? 'other', raw };
}

/** The usage detail objects as sent, when there are any beyond the counts read above. */
function usageDetails(usage: NonNullable<WireChunk['usage']>): UsageDetails | undefined {
  const prompt = usage.prompt_tokens_details;
  const completion = usage.completion_tokens_details;
  if (!prompt && !completion) return undefined;
  const details: UsageDetails = {};
  if (prompt) details.prompt_tokens_details = prompt;
  if (completion) details.completion_tokens_details = completion;
  return details;
}

export function mapOpenAIUsage(usage: WireChunk['usage']): Usage | undefined {
  if (!usage) return undefined;
  const inputTokens = usage.prompt_tokens ?? 0;
  const outputTokens = usage.completion_tokens ?? 0;
  const result: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.total_tokens ?? inputTokens + outputTokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined) result.cachedInputTokens = cached;
  const written = usage.prompt_tokens_details?.cache_write_tokens;
  if (typeof written === 'number') result.cacheWriteInputTokens = written;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  const details = usageDetails(usage);
  if (details) result.details = details;
  return result;
}

// Quoted keys can only match real JSON keys: inside string values quotes are escaped (`\"`).
// Any JSON whitespace may sit around the colon and brackets; values may hold escapes.
const OUTPUT_TEXT = /"(?:content|refusal|reasoning_content|reasoning)"[ \t\n\r]*:[ \t\n\r]*"[^"]/;
const TOOL_CALLS = /"tool_calls"[ \t\n\r]*:[ \t\n\r]*\[[ \t\n\r]*\{/;
const USAGE = /"usage"[ \t\n\r]*:[ \t\n\r]*\{/;
const FINISH_REASON = /"finish_reason"[ \t\n\r]*:[ \t\n\r]*"((?:[^"\\]|\\.)*)"/;

/** The finish reason's raw text; escapes are rare enough to decode with the JSON parser. */
function scanFinishReason(data: string): string | undefined {
  const raw = FINISH_REASON.exec(data)?.[1];
  if (raw === undefined || !raw.includes('\\')) return raw;
  const decoded = parseJsonSafe<unknown>(`"${raw}"`);
  return typeof decoded === 'string' ? decoded : undefined;
}

/**
 * Summarises one chunk's JSON text into an `openai-chunk` event, or returns undefined when the
 * text is not a JSON object (the caller decides whether that is a protocol error).
 *
 * Chunks are forwarded byte for byte, so only what routing and metrics need is read: a chunk
 * without usage is scanned, not parsed; the (single) usage chunk is parsed in full.
 */
export function summarizeOpenAIChunk(data: string): OpenAIChunkEvent | undefined {
  const first = data.charCodeAt(0);
  const last = data.charCodeAt(data.length - 1);
  if (first !== 123 || last !== 125) return parseOpenAIChunk(data); // not `{…}`: let the parser decide
  if (USAGE.test(data)) return parseOpenAIChunk(data);
  const hasOutput = OUTPUT_TEXT.test(data) || TOOL_CALLS.test(data);
  const event: OpenAIChunkEvent = { type: 'openai-chunk', data, hasOutput };
  const finish = mapOpenAIFinishReason(scanFinishReason(data));
  if (finish) event.finish = finish;
  return event;
}

/** The full parse, for chunks that carry usage (or do not look like a JSON object). */
export function parseOpenAIChunk(data: string): OpenAIChunkEvent | undefined {
  const chunk = parseJsonSafe<WireChunk>(data);
  if (chunk === undefined || chunk === null || typeof chunk !== 'object') return undefined;
  let hasOutput = false;
  let finish: FinishReason | undefined;
  for (const choice of chunk.choices ?? []) {
    const delta = choice.delta;
    if (
      delta &&
      (delta.content ||
        delta.refusal ||
        delta.reasoning_content ||
        delta.reasoning ||
        (delta.tool_calls && delta.tool_calls.length > 0))
    ) {
      hasOutput = true;
    }
    finish ??= mapOpenAIFinishReason(choice.finish_reason);
  }
  const event: OpenAIChunkEvent = { type: 'openai-chunk', data, hasOutput };
  const usage = mapOpenAIUsage(chunk.usage);
  if (usage) event.usage = usage;
  if (finish) event.finish = finish;
  return event;
}

/** Expands a pass-through chunk into typed events (start is included when the chunk has a role). */
export function expandOpenAIChunk(event: OpenAIChunkEvent): StreamEvent[] {
  const chunk = parseJsonSafe<WireChunk>(event.data);
  if (!chunk || typeof chunk !== 'object') return [];
  const events: StreamEvent[] = [];
  for (const choice of chunk.choices ?? []) {
    const choiceIndex = choice.index ?? 0;
    const delta = choice.delta;
    if (delta?.role) {
      events.push({
        type: 'start',
        id: chunk.id ?? '',
        model: chunk.model ?? '',
        created: chunk.created ?? Math.floor(Date.now() / 1000),
      });
    }
    const reasoning = delta?.reasoning_content || delta?.reasoning;
    if (typeof reasoning === 'string' && reasoning)
      events.push({ type: 'reasoning-delta', choiceIndex, text: reasoning });
    if (delta?.content) events.push({ type: 'text-delta', choiceIndex, text: delta.content });
    for (const call of delta?.tool_calls ?? []) {
      events.push({
        type: 'tool-call-delta',
        choiceIndex,
        toolCallIndex: call.index ?? 0,
        ...(call.id ? { id: call.id } : {}),
        ...(call.function?.name ? { name: call.function.name } : {}),
        argumentsDelta: call.function?.arguments ?? '',
      });
    }
    const finish = mapOpenAIFinishReason(choice.finish_reason);
    if (finish) events.push({ type: 'finish', choiceIndex, reason: finish });
  }
  if (event.usage) events.push({ type: 'usage', usage: event.usage });
  return events;
}
