// Anthropic Messages API wire shapes. Requests are typed exactly; responses are read tolerantly
// (unknown fields pass, optional fields may be missing) through the guards below.
import { isJsonObject, optionalNumber } from '../shared/index.ts';

export type AnthropicImageSource =
  { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };

export type AnthropicRequestBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: AnthropicImageSource }
  | { type: 'document'; source: { type: 'base64'; media_type: 'application/pdf'; data: string } }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export interface AnthropicRequestMessage {
  role: 'user' | 'assistant';
  content: AnthropicRequestBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  strict?: boolean;
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicRequestMessage[];
  system?: { type: 'text'; text: string }[];
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  metadata?: { user_id: string };
  thinking?: { type: 'enabled'; budget_tokens: number };
  stream?: boolean;
}

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface AnthropicResponseBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  /** `thinking` blocks: the reasoning and its signature; `redacted_thinking`: the opaque data. */
  thinking?: string;
  signature?: string;
  data?: string;
}

export interface AnthropicMessage {
  id: string;
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: string | null;
  usage: AnthropicUsage;
}

export interface AnthropicErrorPayload {
  type: string;
  message: string;
  /** e.g. `enforced_spend_limit_reached` on 429s that must not be retried. */
  errorCode?: string;
}

export interface AnthropicModel {
  id: string;
  display_name?: string;
}

export interface AnthropicModelPage {
  data: AnthropicModel[];
  has_more: boolean;
  last_id: string | null;
}

export function readAnthropicUsage(value: unknown): AnthropicUsage {
  if (!isJsonObject(value)) return {};
  return {
    input_tokens: optionalNumber(value.input_tokens),
    output_tokens: optionalNumber(value.output_tokens),
    cache_creation_input_tokens: optionalNumber(value.cache_creation_input_tokens),
    cache_read_input_tokens: optionalNumber(value.cache_read_input_tokens),
  };
}

export function readResponseBlock(value: unknown): AnthropicResponseBlock | undefined {
  if (!isJsonObject(value) || typeof value.type !== 'string') return undefined;
  return {
    type: value.type,
    text: typeof value.text === 'string' ? value.text : undefined,
    id: typeof value.id === 'string' ? value.id : undefined,
    name: typeof value.name === 'string' ? value.name : undefined,
    input: value.input,
    thinking: typeof value.thinking === 'string' ? value.thinking : undefined,
    signature: typeof value.signature === 'string' ? value.signature : undefined,
    data: typeof value.data === 'string' ? value.data : undefined,
  };
}

/** The message of a non-streamed answer, or undefined when the body is not one. */
export function readAnthropicMessage(value: unknown): AnthropicMessage | undefined {
  if (!isJsonObject(value) || !Array.isArray(value.content)) return undefined;
  const content: AnthropicResponseBlock[] = [];
  for (const item of value.content) {
    const block = readResponseBlock(item);
    if (!block) return undefined;
    content.push(block);
  }
  return {
    id: typeof value.id === 'string' ? value.id : '',
    model: typeof value.model === 'string' ? value.model : '',
    content,
    stop_reason: typeof value.stop_reason === 'string' ? value.stop_reason : null,
    usage: readAnthropicUsage(value.usage),
  };
}

/** The `error` member of `{type: 'error', error: {type, message}}` (HTTP bodies and stream events). */
export function readAnthropicError(value: unknown): AnthropicErrorPayload | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.error)) return undefined;
  const error = value.error;
  const details = isJsonObject(error.details) ? error.details : undefined;
  return {
    type: typeof error.type === 'string' ? error.type : 'error',
    message: typeof error.message === 'string' ? error.message : '',
    errorCode: typeof details?.error_code === 'string' ? details.error_code : undefined,
  };
}

export function readAnthropicModelPage(value: unknown): AnthropicModelPage | undefined {
  if (!isJsonObject(value) || !Array.isArray(value.data)) return undefined;
  const data: AnthropicModel[] = [];
  for (const item of value.data) {
    if (isJsonObject(item) && typeof item.id === 'string') {
      data.push({
        id: item.id,
        display_name: typeof item.display_name === 'string' ? item.display_name : undefined,
      });
    }
  }
  return {
    data,
    has_more: value.has_more === true,
    last_id: typeof value.last_id === 'string' ? value.last_id : null,
  };
}
