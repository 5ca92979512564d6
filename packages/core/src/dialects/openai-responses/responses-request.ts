// The OpenAI Responses API request (`POST /v1/responses`), validated strictly where the gateway
// reads it; unknown fields are kept, so a target that speaks the API natively receives them.
import { z } from 'zod';
import { InvalidRequestError } from '../../spec/errors.ts';
import { describeIssues, toFieldIssues, tooDeepField } from '../../spec/validation.ts';

const inputTextSchema = z.looseObject({ type: z.literal('input_text'), text: z.string() });

const inputImageSchema = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullable().optional(),
  file_id: z.string().nullable().optional(),
  detail: z.enum(['auto', 'low', 'high']).nullable().optional(),
});

const inputFileSchema = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().optional(),
  file_id: z.string().nullable().optional(),
  file_url: z.string().optional(),
  filename: z.string().optional(),
});

/** Earlier assistant turns sent back as input carry their output parts. */
const outputTextSchema = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusalSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

export const inputContentSchema = z.discriminatedUnion('type', [
  inputTextSchema,
  inputImageSchema,
  inputFileSchema,
  outputTextSchema,
  refusalSchema,
]);

const messageItemSchema = z.looseObject({
  type: z.literal('message'),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputContentSchema)]),
  status: z.string().optional(),
});

const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1, 'call_id must not be empty'),
  name: z.string().min(1, 'name must not be empty'),
  arguments: z.string(),
  status: z.string().optional(),
});

const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  id: z.string().nullable().optional(),
  call_id: z.string().min(1, 'call_id must not be empty'),
  output: z.union([z.string(), z.array(inputContentSchema)]),
  status: z.string().nullable().optional(),
});

const reasoningItemSchema = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).optional(),
  encrypted_content: z.string().nullable().optional(),
});

/** An item without `type` is a message (the SDKs' "easy input message"). */
export const inputItemSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && !('type' in value)
      ? { ...value, type: 'message' }
      : value,
  z.discriminatedUnion('type', [
    messageItemSchema,
    functionCallItemSchema,
    functionCallOutputItemSchema,
    reasoningItemSchema,
  ]),
);

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1, 'a function tool needs a name'),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

/** OpenAI's built-in tools (web search, file search, code interpreter, MCP …): native targets only. */
const builtInToolSchema = z.looseObject({
  type: z.string().refine((type) => type !== 'function', 'a function tool needs a name'),
});

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
  z.looseObject({ type: z.string() }),
]);

const textFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1, 'a json_schema format needs a name'),
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
  }),
]);

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1, 'model must not be empty').optional(),
  /** A string is one user message. */
  input: z
    .preprocess(
      (value) =>
        typeof value === 'string' ? [{ type: 'message', role: 'user', content: value }] : value,
      z.array(inputItemSchema, { error: 'input must be a string or an array of items' }),
    )
    .optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(z.union([functionToolSchema, builtInToolSchema])).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z.looseObject({ format: textFormatSchema.optional() }).nullable().optional(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullable().optional(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
    })
    .nullable()
    .optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  user: z.string().optional(),
  safety_identifier: z.string().nullable().optional(),
  store: z.boolean().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({}).nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
  background: z.boolean().nullable().optional(),
  conversation: z.unknown().optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof inputItemSchema>;
export type ResponsesInputContent = z.infer<typeof inputContentSchema>;
export type ResponsesFunctionTool = z.infer<typeof functionToolSchema>;

/** Validates a Responses request body; a 400 whose `param` names the first bad Responses field. */
export function parseResponsesRequest(input: unknown): ResponsesRequest {
  const deep = tooDeepField(input);
  if (deep !== undefined)
    throw new InvalidRequestError(
      `Invalid request: ${deep} is nested too deeply`,
      deep,
      'json_too_deep',
    );
  const result = responsesRequestSchema.safeParse(input);
  if (!result.success) {
    const issues = toFieldIssues(result.error);
    throw new InvalidRequestError(
      `Invalid request: ${describeIssues(issues)}`,
      issues[0]?.path || null,
    );
  }
  const request = result.data;
  if (request.input === undefined && !request.previous_response_id)
    throw new InvalidRequestError("Missing required parameter: 'input'.", 'input');
  if (request.background)
    throw new InvalidRequestError('background responses are not supported', 'background');
  if (request.conversation !== undefined && request.conversation !== null)
    throw new InvalidRequestError(
      'conversation objects are not supported; use previous_response_id',
      'conversation',
    );
  return request;
}

/** The built-in (non-function) tools of a request, with their index. */
export function builtInTools(request: ResponsesRequest): Array<{ index: number; type: string }> {
  return (request.tools ?? []).flatMap((tool, index) =>
    tool.type === 'function' ? [] : [{ index, type: tool.type }],
  );
}
