// The Anthropic Messages API request, validated strictly where the gateway reads a field and
// loosely elsewhere (unknown members and block types pass: native targets receive the client's
// bytes, and a newer field must not turn into a 400). Errors name the Messages field.
import { z } from 'zod';
import { InvalidRequestError } from '../../spec/errors.ts';
import { formatPath, MAX_JSON_DEPTH, tooDeepField } from '../../spec/validation.ts';

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const imageSourceSchema = z.union([
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
]);

const KNOWN_BLOCKS = {
  text: textBlockSchema,
  image: z.looseObject({ type: z.literal('image'), source: imageSourceSchema }),
  document: z.looseObject({ type: z.literal('document'), source: z.looseObject({}) }),
  tool_use: z.looseObject({
    type: z.literal('tool_use'),
    id: z.string().min(1),
    name: z.string().min(1),
    input: z.unknown(),
  }),
  tool_result: z.looseObject({
    type: z.literal('tool_result'),
    tool_use_id: z.string().min(1),
    content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
    is_error: z.boolean().optional(),
  }),
  thinking: z.looseObject({ type: z.literal('thinking'), thinking: z.string() }),
} as const;

/** A content block: the known types are checked, others (redacted thinking, server tools…) pass. */
const blockSchema = z.looseObject({ type: z.string() }).superRefine((block, context) => {
  const schema = KNOWN_BLOCKS[block.type as keyof typeof KNOWN_BLOCKS] as z.ZodType | undefined;
  if (!schema) return;
  const result = schema.safeParse(block);
  if (result.success) return;
  for (const issue of result.error.issues)
    context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

const contentSchema = z.union([z.string(), z.array(blockSchema)]);

const messageSchema = z.looseObject({
  // `system` entries inside `messages` are what Claude Code sends besides the top-level system.
  role: z.enum(['user', 'assistant', 'system']),
  content: contentSchema,
});

const toolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().optional(),
});

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.enum(['auto', 'any']),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);

const thinkingSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('adaptive') }),
]);

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1, 'Field required'),
  max_tokens: z.number({ error: 'Field required' }).int().positive(),
  messages: z.array(messageSchema, { error: 'Field required' }),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  stream: z.boolean().optional(),
  thinking: thinkingSchema.optional(),
  output_config: z
    .looseObject({ effort: z.enum(['low', 'medium', 'high', 'max']).optional() })
    .optional(),
});

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type MessagesContent = z.infer<typeof contentSchema>;
export type MessagesBlock = z.infer<typeof blockSchema>;
export type MessagesTool = z.infer<typeof toolSchema>;

/** The body as a Messages request; a 400 naming the first bad field (`messages.0.content`). */
export function parseMessagesRequest(input: unknown): MessagesRequest {
  const deep = tooDeepField(input);
  if (deep !== undefined)
    throw new InvalidRequestError(`${deep}: nested more than ${MAX_JSON_DEPTH} levels deep`, deep);
  const result = messagesRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? anthropicPath(issue.path) : '';
  const message = issue?.message ?? 'Invalid request';
  throw new InvalidRequestError(path ? `${path}: ${message}` : message, path || null);
}

/** Anthropic names fields with dots only: `messages.0.content.1.text`. */
function anthropicPath(path: ReadonlyArray<PropertyKey>): string {
  return formatPath(path).replace(/\[(\d+)\]/g, '.$1');
}
