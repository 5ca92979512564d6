// The legacy OpenAI `POST /v1/completions` body: validated once (a 400 naming the field), kept
// whole for targets that serve the Completions API natively, and translated for chat-only
// providers into one user message.
import { z } from 'zod';
import { InvalidRequestError } from '../../spec/errors.ts';
import { describeIssues, toFieldIssues } from '../../spec/validation.ts';

const tokens = z.array(z.number().int().nonnegative()).min(1, 'must not be empty');

export const completionsBodySchema = z.looseObject({
  model: z.string().min(1, 'must not be empty').optional(),
  prompt: z.union(
    [z.string(), z.array(z.string()).min(1, 'must not be empty'), tokens, z.array(tokens).min(1)],
    { error: 'must be a string, an array of strings, token ids or arrays of token ids' },
  ),
  max_tokens: z.number().int().nonnegative().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  user: z.string().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  echo: z.boolean().nullable().optional(),
  suffix: z.string().nullable().optional(),
  best_of: z.number().int().min(0).max(20).nullable().optional(),
  logprobs: z.number().int().min(0).max(5).nullable().optional(),
});

export type CompletionsBody = z.output<typeof completionsBodySchema>;

/** OpenAI's default when a completions request sets no `max_tokens`. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

export function parseCompletionsBody(input: unknown): CompletionsBody {
  const result = completionsBodySchema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error);
  throw new InvalidRequestError(
    `Invalid request: ${describeIssues(issues)}`,
    issues[0]?.path || null,
  );
}

/**
 * The fields a chat model cannot honour, first one first: several prompts or token ids, a
 * suffix (insertion), `best_of` above `n`, log probabilities. `echo` is honoured by translation.
 */
export function untranslatableFields(body: CompletionsBody): string[] {
  const fields: string[] = [];
  if (
    typeof body.prompt !== 'string' &&
    !(body.prompt.length === 1 && typeof body.prompt[0] === 'string')
  )
    fields.push('prompt');
  if (body.suffix) fields.push('suffix');
  if (body.best_of != null && body.best_of > (body.n ?? 1)) fields.push('best_of');
  if (body.logprobs != null) fields.push('logprobs');
  return fields;
}

/** The prompt as one text, for translation (the first one when untranslatable). */
export function promptText(body: CompletionsBody): string {
  const prompt = body.prompt;
  if (typeof prompt === 'string') return prompt;
  const [first] = prompt;
  return typeof first === 'string' ? first : '';
}

/**
 * The chat request a chat-only provider is served: the prompt as one user message and the
 * sampling fields that mean the same in chat. When a field cannot be honoured in chat, the
 * request asks for `logprobs`, which no chat-only adapter serves: each refuses before sending
 * (the entry then answers a 400, renamed to the client's field by the dialect) while targets
 * that pass completions through never read this request.
 */
export function toChatBody(body: CompletionsBody): Record<string, unknown> {
  const untranslatable = untranslatableFields(body).length > 0;
  const copied = [
    'model',
    'temperature',
    'top_p',
    'n',
    'stream',
    'stream_options',
    'stop',
    'presence_penalty',
    'frequency_penalty',
    'seed',
    'user',
    'logit_bias',
  ] as const;
  const chat: Record<string, unknown> = {
    messages: [{ role: 'user', content: promptText(body) }],
    max_tokens: body.max_tokens ?? COMPLETIONS_DEFAULT_MAX_TOKENS,
  };
  for (const field of copied) if (body[field] != null) chat[field] = body[field];
  if (untranslatable) chat.logprobs = true;
  return chat;
}
