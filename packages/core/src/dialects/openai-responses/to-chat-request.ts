// A Responses request as the unified chat request: input items become chat messages
// (consecutive `function_call` items one assistant turn, `function_call_output` items tool
// messages, `reasoning` items the reasoning of the assistant turn they precede), `instructions`
// the system message, and the Responses names of the chat fields (`max_output_tokens`,
// `text.format`, `reasoning.effort`) their chat names.
import type { ChatMessage, ContentPart, ToolCall } from '../../spec/chat-request.ts';
import type { ReasoningPart } from '../../spec/chat-response.ts';
import { InvalidRequestError } from '../../spec/errors.ts';
import { openReasoning } from '../reasoning-seal.ts';
import type {
  ResponsesInputContent,
  ResponsesInputItem,
  ResponsesRequest,
} from './responses-request.ts';

type JsonObject = Record<string, unknown>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** A chat body (validated again by the entry) for the request and the items before it. */
export function toChatBody(
  request: ResponsesRequest,
  items: readonly ResponsesInputItem[],
): JsonObject {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  const walk: ItemWalk = { messages, reasoning: [] };
  items.forEach((item, index) => appendItem(walk, item, index));
  return {
    ...(request.model !== undefined ? { model: request.model } : {}),
    messages,
    ...chatTools(request),
    ...chatOptions(request),
  };
}

/** The request's own `input` as items (a string was parsed as one user message). */
export function inputAsItems(input: ResponsesRequest['input']): ResponsesInputItem[] {
  return input ?? [];
}

/** The messages so far, and the reasoning items read but not yet given to an assistant turn. */
interface ItemWalk {
  messages: ChatMessage[];
  reasoning: ReasoningPart[];
}

function appendItem(walk: ItemWalk, item: ResponsesInputItem, index: number): void {
  switch (item.type) {
    case 'message': {
      const message = toChatMessage(item, index);
      if (message.role === 'assistant') takeReasoning(walk, message);
      else walk.reasoning = [];
      walk.messages.push(message);
      return;
    }
    case 'function_call':
      appendToolCall(walk, {
        id: item.call_id,
        type: 'function',
        function: { name: item.name, arguments: item.arguments },
      });
      return;
    case 'function_call_output':
      walk.reasoning = [];
      walk.messages.push({
        role: 'tool',
        tool_call_id: item.call_id,
        content: typeof item.output === 'string' ? item.output : partsText(item.output),
      });
      return;
    case 'reasoning': {
      const part = reasoningPart(item);
      if (part) walk.reasoning.push(part);
      return;
    }
  }
}

/** Consecutive calls are one assistant turn, joining the assistant text right before them. */
function appendToolCall(walk: ItemWalk, call: ToolCall): void {
  const last = walk.messages.at(-1);
  if (last?.role === 'assistant') {
    last.tool_calls = [...(last.tool_calls ?? []), call];
    takeReasoning(walk, last);
    return;
  }
  const message: AssistantMessage = { role: 'assistant', content: null, tool_calls: [call] };
  takeReasoning(walk, message);
  walk.messages.push(message);
}

/** Reasoning items belong to the assistant turn they precede; one not followed by one is dropped. */
function takeReasoning(walk: ItemWalk, message: AssistantMessage): void {
  if (walk.reasoning.length === 0) return;
  message.reasoning = [...(message.reasoning ?? []), ...walk.reasoning];
  walk.reasoning = [];
}

/**
 * A reasoning item as a reasoning part (none when it carries nothing): its summary the text, its `encrypted_content` the
 * signature (or withheld reasoning) and family when the gateway sealed it. A value it did not
 * seal is a Responses vendor's own, which only a native target (sent the client's body) can use.
 */
function reasoningPart(
  item: Extract<ResponsesInputItem, { type: 'reasoning' }>,
): ReasoningPart | undefined {
  const text = (item.summary ?? []).map((part) => part.text).join('');
  const sealed = item.encrypted_content ? openReasoning(item.encrypted_content) : undefined;
  if (!text && !sealed) return undefined;
  return { text, ...sealed };
}

function toChatMessage(
  item: Extract<ResponsesInputItem, { type: 'message' }>,
  index: number,
): ChatMessage {
  const { role, content } = item;
  if (role === 'assistant')
    return { role, content: typeof content === 'string' ? content : partsText(content) };
  if (role === 'system' || role === 'developer')
    return { role, content: typeof content === 'string' ? content : partsText(content) };
  if (typeof content === 'string') return { role, content };
  return {
    role,
    content: content.map((part, partIndex) =>
      toChatPart(part, `input[${index}].content[${partIndex}]`),
    ),
  };
}

function partsText(parts: readonly ResponsesInputContent[]): string {
  let text = '';
  for (const part of parts) {
    if (part.type === 'input_text' || part.type === 'output_text') text += part.text;
    else if (part.type === 'refusal') text += part.refusal;
  }
  return text;
}

function toChatPart(part: ResponsesInputContent, path: string): ContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'refusal', refusal: part.refusal };
    case 'input_image':
      if (!part.image_url)
        throw new InvalidRequestError(
          'input_image needs an image_url (a URL or a data URL); file ids are not supported',
          `${path}.image_url`,
        );
      return {
        type: 'image_url',
        image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) },
      };
    case 'input_file':
      if (!part.file_data)
        throw new InvalidRequestError(
          'input_file needs file_data; file ids and file URLs are not supported',
          `${path}.file_data`,
        );
      return {
        type: 'file',
        file: { file_data: part.file_data, ...(part.filename ? { filename: part.filename } : {}) },
      };
  }
}

function chatTools(request: ResponsesRequest): JsonObject {
  const functions = (request.tools ?? []).flatMap((tool) =>
    tool.type === 'function' && 'name' in tool && typeof tool.name === 'string'
      ? [
          {
            type: 'function' as const,
            function: {
              name: tool.name,
              ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
              ...(isObject(tool.parameters) ? { parameters: tool.parameters } : {}),
              ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
            },
          },
        ]
      : [],
  );
  const result: JsonObject = functions.length > 0 ? { tools: functions } : {};
  const choice = chatToolChoice(request.tool_choice);
  if (choice !== undefined && functions.length > 0) result.tool_choice = choice;
  if (typeof request.parallel_tool_calls === 'boolean' && functions.length > 0)
    result.parallel_tool_calls = request.parallel_tool_calls;
  return result;
}

function chatToolChoice(choice: ResponsesRequest['tool_choice']): unknown {
  if (choice === undefined || typeof choice === 'string') return choice;
  if (choice.type === 'function' && typeof choice.name === 'string')
    return { type: 'function', function: { name: choice.name } };
  throw new InvalidRequestError(
    `tool_choice of type "${choice.type}" needs a target that offers that tool natively`,
    'tool_choice',
  );
}

function chatOptions(request: ResponsesRequest): JsonObject {
  const options: JsonObject = {};
  if (request.stream) options.stream = true;
  if (request.stream) options.stream_options = { include_usage: true };
  if (request.max_output_tokens != null) options.max_completion_tokens = request.max_output_tokens;
  if (request.temperature != null) options.temperature = request.temperature;
  if (request.top_p != null) options.top_p = request.top_p;
  if (request.metadata) options.metadata = request.metadata;
  const user = request.user ?? request.safety_identifier ?? undefined;
  if (user) options.user = user;
  if (request.reasoning?.effort) options.reasoning_effort = request.reasoning.effort;
  const format = request.text?.format;
  if (format?.type === 'json_object') options.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') {
    const { name, description, schema, strict } = format;
    options.response_format = {
      type: 'json_schema',
      json_schema: {
        name,
        schema,
        ...(description !== undefined ? { description } : {}),
        ...(strict !== undefined ? { strict } : {}),
      },
    };
  }
  return options;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Chat field names in errors, as the Responses client knows them. */
const RESPONSES_PARAM_NAMES: Readonly<Record<string, string>> = {
  messages: 'input',
  max_completion_tokens: 'max_output_tokens',
  max_tokens: 'max_output_tokens',
  response_format: 'text.format',
  reasoning_effort: 'reasoning.effort',
  tool_choice: 'tool_choice',
  user: 'user',
};

/** The Responses name of a field a chat-level error named (`messages[2]` → `input`). */
export function responsesParam(param: string | null): string | null {
  if (param === null) return null;
  const head = /^[a-z_]+/.exec(param)?.[0] ?? param;
  const mapped = RESPONSES_PARAM_NAMES[head];
  if (mapped === undefined) return param;
  return head === 'messages' ? mapped : mapped + param.slice(head.length);
}
