// Turns zod issues into messages that name the field, e.g. `messages[0].content: Required`.
import type { z } from 'zod';
import { chatRequestSchema, type ChatRequest } from './chat-request.ts';
import { InvalidRequestError } from './errors.ts';

export interface FieldIssue {
  /** The field's path, e.g. `providers[1].endpoint`; empty for the whole input. */
  path: string;
  message: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text.length === 0 ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * How deeply a request's JSON may nest. Real requests stay far below it (JSON schemas of tools
 * included); much deeper input overflows the stack of whatever serialises it next.
 */
export const MAX_JSON_DEPTH = 64;

/** The top-level field holding JSON nested deeper than `maxDepth`, or undefined. Iterative. */
export function tooDeepField(input: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  for (const [field, value] of Object.entries(input)) {
    const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 2 }];
    for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
      if (typeof item.value !== 'object' || item.value === null) continue;
      if (item.depth > maxDepth) return field;
      for (const child of Object.values(item.value))
        pending.push({ value: child, depth: item.depth + 1 });
    }
  }
  return undefined;
}

/** Validates a chat request body; throws `InvalidRequestError` whose `param` names the first bad field. */
export function parseChatRequest(input: unknown): ChatRequest {
  const deep = tooDeepField(input);
  if (deep !== undefined)
    throw new InvalidRequestError(
      `Invalid request: ${deep} is nested more than ${MAX_JSON_DEPTH} levels deep`,
      deep,
      'json_too_deep',
    );
  const result = chatRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error);
  throw new InvalidRequestError(
    `Invalid request: ${describeIssues(issues)}`,
    issues[0]?.path || null,
  );
}
