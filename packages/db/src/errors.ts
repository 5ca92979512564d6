// Errors the repositories throw for the caller to show: what was not found, what conflicts.
import { Prisma } from './generated/prisma/client.ts';

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`No ${entity} "${id}"`);
  }
}

/** A unique value already taken, or a removal refused because something still uses the row. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

export function isPrismaError(error: unknown, code: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

/** Runs `work`, turning a unique violation (P2002) into `ConflictError(message)` and a missing row (P2025) into `NotFoundError`. */
export async function translateErrors<T>(
  work: () => Promise<T>,
  conflict: string,
  missing?: { entity: string; id: string },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPrismaError(error, 'P2002')) throw new ConflictError(conflict, { cause: error });
    if (missing && isPrismaError(error, 'P2025'))
      throw new NotFoundError(missing.entity, missing.id);
    throw error;
  }
}

/** Input that breaks a rule outside the configuration schema (a user's email or password). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}
