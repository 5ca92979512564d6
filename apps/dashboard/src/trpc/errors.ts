// Reading tRPC errors in the browser: the message and the server's per-field messages.
import { TRPCClientError } from '@trpc/client';
import type { ActionResult } from '@switchyard/ui';
import type { AppRouter } from '../server/api/root.ts';

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The tRPC error code the server answered with (NOT_FOUND, FORBIDDEN …), if any. */
export function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = (error as TRPCClientError<AppRouter>).data as { code?: unknown } | undefined;
  return typeof data?.code === 'string' ? data.code : undefined;
}

/** Asking again will not find it: no retry, no "Try again". */
export function isNotFound(error: unknown): boolean {
  return errorCodeOf(error) === 'NOT_FOUND';
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data as
      { fieldErrors?: Record<string, string> | null } | undefined;
    return data?.fieldErrors ?? {};
  }
  return {};
}

/** Runs a mutation and reports the outcome the way the shared components expect. */
export async function asActionResult(run: () => Promise<unknown>): Promise<ActionResult> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: errorMessage(error), fieldErrors: fieldErrorsOf(error) };
  }
}
