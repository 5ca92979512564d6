// Turns what the repositories throw into answers a form can show.
import { TRPCError } from '@trpc/server';
import { badInput, isConfigError, issuesToFieldErrors } from './field-errors.ts';

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

/** Runs a repository call; known failures become BAD_REQUEST / CONFLICT / NOT_FOUND with the repository's message. */
export async function fromRepository<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TRPCError) throw error;
    if (isConfigError(error)) throw badInput(error.message, issuesToFieldErrors(error.issues));
    const code = codeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'P2002')
      throw new TRPCError({ code: 'CONFLICT', message: `${what} already exists.`, cause: error });
    if (code === 'P2025')
      throw new TRPCError({ code: 'NOT_FOUND', message: `${what} was not found.`, cause: error });
    if (error instanceof Error && error.name === 'NotFoundError')
      throw new TRPCError({ code: 'NOT_FOUND', message, cause: error });
    if (
      code === 'P2003' ||
      (error instanceof Error && /(Conflict|InUse|Reference)Error$/.test(error.name))
    )
      throw new TRPCError({ code: 'CONFLICT', message, cause: error });
    if (error instanceof Error && /(Validation|Input)Error$/.test(error.name))
      throw new TRPCError({ code: 'BAD_REQUEST', message, cause: error });
    throw error;
  }
}
