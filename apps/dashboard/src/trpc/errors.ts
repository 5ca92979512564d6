// Reading tRPC errors in the browser: the message and the server's per-field messages.
import { TRPCClientError } from '@trpc/client';
import type { ActionResult } from '@switchyard/ui';
import type { AppRouter } from '../server/api/root.ts';

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
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
