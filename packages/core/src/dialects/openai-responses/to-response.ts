// The unified chat answer as a Responses `Response` object: the assistant text a `message` item
// with an `output_text` part, each tool call a `function_call` item (its `call_id` the vendor's
// id, unchanged), each reasoning part a `reasoning` item whose summary is the vendor's visible
// reasoning, usage in the Responses names, and the request's settings echoed.
import { randomBytes } from 'node:crypto';
import type { ChatResponse, FinishReason, ReasoningPart, Usage } from '../../spec/chat-response.ts';
import { sealReasoning } from '../reasoning-seal.ts';
import type { ResponsesRequest } from './responses-request.ts';

export type JsonObject = Record<string, unknown>;

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** A new id with OpenAI's prefixes (`resp_`, `msg_`, `fc_`). */
export function newId(prefix: 'resp' | 'msg' | 'fc' | 'rs'): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

export function toResponsesUsage(usage: Usage): JsonObject {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: {
      cached_tokens: usage.cachedInputTokens ?? 0,
      cache_write_tokens: usage.cacheWriteInputTokens ?? 0,
    },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}

export function messageItem(
  id: string,
  text: string,
  status: string,
  refusal?: string,
): JsonObject {
  const content: JsonObject[] = [];
  if (text || refusal === undefined)
    content.push({ type: 'output_text', text, annotations: [], logprobs: [] });
  if (refusal !== undefined) content.push({ type: 'refusal', refusal });
  return { id, type: 'message', status, role: 'assistant', content };
}

/**
 * A reasoning item. The vendor's signature (or withheld reasoning) is its `encrypted_content`,
 * sealed with the family that can verify it (`reasoning-seal.ts`) so that, sent back, it reaches
 * that family only. The stored item keeps it; the client sees it only when `include` asks, as
 * OpenAI does (`forClient`).
 */
export function reasoningItem(id: string, part: ReasoningPart, status: string): JsonObject {
  return {
    id,
    type: 'reasoning',
    status,
    summary: part.text ? [{ type: 'summary_text', text: part.text }] : [],
    encrypted_content: sealReasoning(part) ?? null,
  };
}

export function includesEncryptedReasoning(request: ResponsesRequest): boolean {
  return request.include?.includes('reasoning.encrypted_content') ?? false;
}

/** An output item as the client sees it: a reasoning item's `encrypted_content` only when included. */
export function itemForClient(item: JsonObject, includeEncrypted: boolean): JsonObject {
  if (item.type !== 'reasoning' || includeEncrypted || !('encrypted_content' in item)) return item;
  const { encrypted_content: _withheld, ...rest } = item;
  return rest;
}

/** A (stored) Response as the client sees it (`itemForClient` over its output). */
export function forClient(response: JsonObject, includeEncrypted: boolean): JsonObject {
  if (includeEncrypted || !Array.isArray(response.output)) return response;
  const output = (response.output as JsonObject[]).map((item) => itemForClient(item, false));
  return { ...response, output };
}

export function functionCallItem(
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: string,
): JsonObject {
  return {
    id,
    type: 'function_call',
    status,
    call_id: call.callId,
    name: call.name,
    arguments: call.arguments,
  };
}

/** The output items of a chat answer (its first choice), as stored. */
export function outputItemsOf(response: ChatResponse): JsonObject[] {
  const message = response.choices[0]?.message;
  if (!message) return [];
  const items: JsonObject[] = (message.reasoning ?? []).map((part) =>
    reasoningItem(newId('rs'), part, 'completed'),
  );
  if (message.content || message.refusal)
    items.push(
      messageItem(newId('msg'), message.content ?? '', 'completed', message.refusal ?? undefined),
    );
  for (const call of message.tool_calls ?? [])
    items.push(
      functionCallItem(
        newId('fc'),
        { callId: call.id, name: call.function.name, arguments: call.function.arguments },
        'completed',
      ),
    );
  return items;
}

/** `completed`, or `incomplete` with its reason when the answer was cut short. */
export function statusOf(finish: FinishReason | undefined): {
  status: ResponseStatus;
  incompleteDetails: JsonObject | null;
} {
  if (finish?.unified === 'length')
    return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (finish?.unified === 'content_filter')
    return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed', incompleteDetails: null };
}

export interface ResponseShell {
  id: string;
  createdAt: number;
  model: string;
  request: ResponsesRequest;
}

/** Function tools as a Response echoes them (every member the schema requires). */
function echoedTools(request: ResponsesRequest): unknown[] {
  return (request.tools ?? []).map((tool) =>
    tool.type === 'function' && 'name' in tool
      ? {
          type: 'function',
          name: tool.name,
          description: tool.description ?? null,
          parameters: tool.parameters ?? null,
          strict: tool.strict ?? true,
        }
      : tool,
  );
}

/** The Response object around `output`; `usage` and `error` when known. */
export function responseObject(
  shell: ResponseShell,
  state: {
    status: ResponseStatus;
    output: JsonObject[];
    usage?: Usage | undefined;
    incompleteDetails?: JsonObject | null;
    error?: { code: string; message: string } | null;
  },
): JsonObject {
  const { request } = shell;
  const done = state.status === 'completed' || state.status === 'incomplete';
  return {
    id: shell.id,
    object: 'response',
    created_at: shell.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: shell.model,
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: {
      effort: request.reasoning?.effort ?? null,
      summary: request.reasoning?.summary ?? null,
    },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: echoedTools(request),
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    ...(done && state.usage ? { usage: toResponsesUsage(state.usage) } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
    ...(request.safety_identifier ? { safety_identifier: request.safety_identifier } : {}),
    metadata: request.metadata ?? {},
  };
}

/** A whole (non-streamed) chat answer as a Response, as stored (see `forClient`). */
export function storedResponseObject(response: ChatResponse, shell: ResponseShell): JsonObject {
  const { status, incompleteDetails } = statusOf(response.choices[0]?.finishReason);
  return responseObject(shell, {
    status,
    output: outputItemsOf(response),
    usage: response.usage,
    incompleteDetails,
  });
}

/** A whole (non-streamed) chat answer as the client receives it. */
export function toResponseObject(response: ChatResponse, shell: ResponseShell): JsonObject {
  return forClient(
    storedResponseObject(response, shell),
    includesEncryptedReasoning(shell.request),
  );
}
