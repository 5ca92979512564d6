// Field-level validation messages carried from the server's schemas to the forms. They travel
// in the tRPC error's `data.fieldErrors`, keyed by path (`endpoint`, `config.region`, `models[0].name`).
import { formatPath, type FieldIssue } from '@switchyard/core';
import { TRPCError } from '@trpc/server';

export type FieldErrors = Record<string, string>;

export class FieldErrorsCause extends Error {
  override readonly name = 'FieldErrorsCause';
  constructor(readonly fieldErrors: FieldErrors) {
    super(
      Object.entries(fieldErrors)
        .map(([path, message]) => (path ? `${path}: ${message}` : message))
        .join('; '),
    );
  }
}

/** Issues as a map, optionally keeping only those under `prefix` (which is removed). */
export function issuesToFieldErrors(issues: ReadonlyArray<FieldIssue>, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    let path = issue.path;
    if (prefix) {
      if (path !== prefix && !path.startsWith(`${prefix}.`) && !path.startsWith(`${prefix}[`))
        continue;
      path = path.slice(prefix.length).replace(/^\./, '');
    }
    errors[path] ??= issue.message;
  }
  return errors;
}

export function badInput(message: string, fieldErrors: FieldErrors): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message, cause: new FieldErrorsCause(fieldErrors) });
}

function isZodLike(
  value: unknown,
): value is { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } {
  return (
    typeof value === 'object' && value !== null && 'issues' in value && Array.isArray(value.issues)
  );
}

/**
 * A core `ConfigError`, recognised by shape: the database package loads its own copy of core,
 * so its errors are not instances of the class this bundle holds.
 */
export function isConfigError(error: unknown): error is Error & { issues: FieldIssue[] } {
  return (
    error instanceof Error &&
    error.name === 'ConfigError' &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** The field errors an error carries, from our own cause, a config error or a zod error. */
export function fieldErrorsOf(error: unknown): FieldErrors | null {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof FieldErrorsCause) return cause.fieldErrors;
  if (isConfigError(cause)) return issuesToFieldErrors(cause.issues);
  if (isZodLike(cause))
    return issuesToFieldErrors(
      cause.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  return null;
}
