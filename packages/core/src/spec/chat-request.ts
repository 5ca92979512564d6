// The unified chat request: OpenAI Chat Completions plus the fields other vendors need.
// Unknown top-level fields are kept so OpenAI-compatible upstreams receive them unchanged.
import { z } from 'zod';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

const imagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    url: z.string().min(1, 'image_url.url must not be empty'),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});

const audioPartSchema = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.string() }),
});

const filePartSchema = z.object({
  type: z.literal('file'),
  file: z.object({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
});

const refusalPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const contentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imagePartSchema,
  audioPartSchema,
  filePartSchema,
  refusalPartSchema,
]);

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const systemMessageSchema = z.object({
  role: z.enum(['system', 'developer']),
  content: z.union([z.string(), z.array(textPartSchema)]),
  name: z.string().optional(),
});

const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(contentPartSchema)]),
  name: z.string().optional(),
});

/**
 * Reasoning an earlier assistant turn carried (a dialect's thinking blocks or reasoning items),
 * sent back so a vendor that signs its reasoning can continue from it. Internal: Chat Completions
 * has no such field, and adapters whose vendors take no reasoning input leave it out. A chat
 * client's `reasoning_content` is not read into it: unsigned, no vendor that takes reasoning back
 * would accept it, and some servers that send it refuse it as input.
 */
const reasoningPartSchema = z.object({
  text: z.string(),
  signature: z.string().optional(),
  encrypted: z.string().optional(),
  origin: z.string().optional(),
});

const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
  refusal: z.string().nullable().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  function_call: z.object({ name: z.string(), arguments: z.string() }).nullable().optional(),
  reasoning: z.array(reasoningPartSchema).optional(),
});

const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: z.union([z.string(), z.array(textPartSchema)]),
  tool_call_id: z.string().min(1, 'tool messages need a tool_call_id'),
});

const functionMessageSchema = z.object({
  role: z.literal('function'),
  content: z.string().nullable(),
  name: z.string(),
});

export const chatMessageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  functionMessageSchema,
]);

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1, 'a function tool needs a name'),
    description: z.string().optional(),
    parameters: jsonSchemaObject.optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: jsonSchemaObject.optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, 'model must not be empty').optional(),
  messages: z
    .array(chatMessageSchema, { error: 'messages is required and must be an array' })
    .min(1, 'Messages are required: send at least one message'),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(16)])
    .nullable()
    .optional(),
  response_format: responseFormatSchema.optional(),
  seed: z.number().int().nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullable().optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
});

export type ContentPart = z.infer<typeof contentPartSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ChatTool = z.infer<typeof toolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ToolCall = z.infer<typeof toolCallSchema>;

/** The effective output-token limit of a request (`max_completion_tokens` wins over `max_tokens`). */
export function requestedMaxTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

/** The text of a message's content, joining text parts; non-text parts are skipped. */
export function messageText(content: ChatMessage['content']): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}

/**
 * The messages without the reasoning earlier assistant turns carried, for vendors that take no
 * reasoning input (an unknown message field is a 400 at OpenAI). The same array when none has any.
 */
export function withoutReasoning(messages: ChatMessage[]): ChatMessage[] {
  if (!messages.some((message) => message.role === 'assistant' && message.reasoning))
    return messages;
  return messages.map((message) => {
    if (message.role !== 'assistant' || !message.reasoning) return message;
    const { reasoning: _reasoning, ...rest } = message;
    return rest;
  });
}
