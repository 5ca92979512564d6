// A Messages request as the unified chat request: the system prompt (string, blocks, and `system`
// entries inside `messages`), text / image / document blocks, tool_use as tool calls, tool_result
// as tool messages, tool_choice, sampling, metadata.user_id, thinking as a reasoning effort, and
// the thinking blocks of earlier assistant turns as their reasoning (signatures kept).
import type { ChatMessage, ChatRequest, ContentPart, ToolCall } from '../../spec/chat-request.ts';
import { InvalidRequestError } from '../../spec/errors.ts';
import { reasoningOfBlock } from './messages-reasoning.ts';
import type { MessagesBlock, MessagesContent, MessagesRequest } from './messages-schema.ts';

/** What the translation did that the client should hear about (as response headers). */
export interface TranslationNotes {
  /** The reasoning effort the unified request carries for `thinking`. */
  reasoningEffort?: string;
  /** `max_tokens` as asked, when it was lowered to the route's limit. */
  clampedFrom?: number;
}

export interface TranslatedRequest {
  request: ChatRequest;
  notes: TranslationNotes;
}

/** `limit`: the largest max_tokens the route allows, when it sets one. */
export function messagesToChat(body: MessagesRequest, limit?: number): TranslatedRequest {
  const notes: TranslationNotes = {};
  const maxTokens = limit !== undefined && body.max_tokens > limit ? limit : body.max_tokens;
  if (maxTokens !== body.max_tokens) notes.clampedFrom = body.max_tokens;
  const effort = reasoningEffort(body);
  if (effort) notes.reasoningEffort = effort;
  const request: ChatRequest = {
    model: body.model,
    messages: [...systemMessages(body.system), ...body.messages.flatMap(toChatMessages)],
    max_tokens: maxTokens,
    ...(body.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined ? { top_p: body.top_p } : {}),
    ...(body.top_k !== undefined ? { top_k: body.top_k } : {}),
    ...(body.stop_sequences?.length ? { stop: body.stop_sequences } : {}),
    ...(body.metadata?.user_id ? { user: body.metadata.user_id } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
    ...toolFields(body),
  };
  if (request.messages.length === 0)
    throw new InvalidRequestError('messages: at least one message is required', 'messages');
  return { request, notes };
}

function systemMessages(system: MessagesRequest['system']): ChatMessage[] {
  if (system === undefined) return [];
  const content =
    typeof system === 'string' ? system : system.map((block) => block.text).join('\n');
  return content ? [{ role: 'system', content }] : [];
}

function toChatMessages(message: MessagesRequest['messages'][number]): ChatMessage[] {
  const blocks = asBlocks(message.content);
  if (message.role === 'system') return [{ role: 'system', content: textOf(blocks) }];
  if (message.role === 'assistant') return [assistantMessage(blocks)];
  const results: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') results.push(toolMessage(block));
    else {
      const part = userPart(block);
      if (part) parts.push(part);
    }
  }
  if (parts.length > 0) {
    const simple = parts.every((part) => part.type === 'text');
    const content = simple && typeof message.content === 'string' ? message.content : parts;
    results.push({ role: 'user', content });
  }
  return results;
}

function asBlocks(content: MessagesContent): MessagesBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function textOf(blocks: readonly MessagesBlock[]): string {
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text))
    .join('\n');
}

function assistantMessage(blocks: readonly MessagesBlock[]): ChatMessage {
  const reasoning = blocks.flatMap((block) => reasoningOfBlock(block) ?? []);
  const toolCalls: ToolCall[] = blocks
    .filter((block) => block.type === 'tool_use')
    .map((block) => ({
      id: String(block.id),
      type: 'function',
      function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
    }));
  const text = textOf(blocks);
  return {
    role: 'assistant',
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(reasoning.length > 0 ? { reasoning } : {}),
  };
}

function toolMessage(block: MessagesBlock): ChatMessage {
  const content = block.content;
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? textOf(content as MessagesBlock[])
        : '';
  return {
    role: 'tool',
    tool_call_id: String(block.tool_use_id),
    content: block.is_error === true ? `Error: ${text}` : text,
  };
}

/** A user block as a chat content part; thinking and other block types have no unified form. */
function userPart(block: MessagesBlock): ContentPart | undefined {
  if (block.type === 'text') return { type: 'text', text: String(block.text) };
  const source = block.source as Record<string, unknown> | undefined;
  if (block.type === 'image' && source) {
    const url =
      source.type === 'url'
        ? String(source.url)
        : `data:${String(source.media_type)};base64,${String(source.data)}`;
    return { type: 'image_url', image_url: { url } };
  }
  if (block.type === 'document' && source?.type === 'base64')
    return {
      type: 'file',
      file: { file_data: `data:${String(source.media_type)};base64,${String(source.data)}` },
    };
  return undefined;
}

function toolFields(body: MessagesRequest): Partial<ChatRequest> {
  // Server tools (web search, code execution…) run at the vendor: only native targets serve them.
  const tools = (body.tools ?? [])
    .filter((tool) => tool.type === undefined || tool.type === 'custom')
    .map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.input_schema ?? { type: 'object', properties: {} },
      },
    }));
  const choice = body.tool_choice;
  if (tools.length === 0) return {};
  return {
    tools,
    ...(choice ? { tool_choice: toToolChoice(choice) } : {}),
    ...(choice && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use
      ? { parallel_tool_calls: false }
      : {}),
  };
}

function toToolChoice(
  choice: NonNullable<MessagesRequest['tool_choice']>,
): ChatRequest['tool_choice'] {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

/** `output_config.effort` when given, else the thinking budget in three bands. */
function reasoningEffort(body: MessagesRequest): string | undefined {
  const thinking = body.thinking;
  if (!thinking || thinking.type === 'disabled') return undefined;
  const effort = body.output_config?.effort;
  if (effort) return effort === 'max' ? 'high' : effort;
  if (thinking.type === 'adaptive') return 'medium';
  const budget = thinking.budget_tokens;
  return budget <= 2048 ? 'low' : budget <= 8192 ? 'medium' : 'high';
}
