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

/** Validates a chat request body; throws `InvalidRequestError` whose `param` names the first bad field. */
export function parseChatRequest(input: unknown): ChatRequest {
  const result = chatRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error);
  throw new InvalidRequestError(
    `Invalid request: ${describeIssues(issues)}`,
    issues[0]?.path || null,
  );
}
