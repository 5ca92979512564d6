// Cohere v2 chat wire types: what we send, and tolerant views of what comes back (every response
// field optional, unknown fields ignored), with the guards that check the shape.

export type CohereContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string } };

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereContentBlock[] }
  | { role: 'assistant'; content?: string; tool_calls?: CohereToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface CohereRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: Array<{
    type: 'function';
    function: { name: string; description?: string; parameters: Record<string, unknown> };
  }>;
  tool_choice?: 'REQUIRED' | 'NONE';
  strict_tools?: boolean;
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  p?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  response_format?:
    { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };
}

export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export interface CohereResponse {
  id?: string;
  finish_reason?: string;
  message?: {
    role?: string;
    content?: Array<{ type?: string; text?: string }>;
    tool_calls?: Array<{
      id?: string;
      type?: string;
      function?: { name?: string; arguments?: string };
    }>;
    tool_plan?: string;
  };
  usage?: CohereUsage;
}

/** One streamed event; `delta` differs by `type` (wire-protocols.md §7). */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string; thinking?: string };
      tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
    };
    finish_reason?: string;
    usage?: CohereUsage;
    error?: string;
  };
}

export interface CohereModelList {
  models?: Array<{ name?: string; endpoints?: string[]; context_length?: number }>;
  next_page_token?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isCohereResponse(value: unknown): value is CohereResponse {
  if (!isObject(value) || !isObject(value.message)) return false;
  const message = value.message;
  return (
    (message.content === undefined || Array.isArray(message.content)) &&
    (message.tool_calls === undefined || Array.isArray(message.tool_calls))
  );
}

export function isCohereStreamEvent(value: unknown): value is CohereStreamEvent {
  return (
    isObject(value) &&
    typeof value.type === 'string' &&
    (value.delta === undefined || isObject(value.delta))
  );
}

export function isCohereModelList(value: unknown): value is CohereModelList {
  return isObject(value) && (value.models === undefined || Array.isArray(value.models));
}

export function cohereErrorMessage(value: unknown): string | undefined {
  return isObject(value) && typeof value.message === 'string' ? value.message : undefined;
}
