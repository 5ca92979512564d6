// The one place this package reads process.env, validated with zod.
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const envSchema = z.object({
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  SWITCHYARD_HOME: optionalText,
  SWITCHYARD_SECRET_KEY: optionalText,
  /** Set by pnpm to the directory the command was started in. */
  INIT_CWD: optionalText,
});

export type DbEnv = z.output<typeof envSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** The package's environment variables, validated. Throws `EnvError` naming the bad variable. */
export function readDbEnv(): DbEnv {
  const result = envSchema.safeParse(process.env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new EnvError(`Invalid environment: ${problems.join('; ')}`);
}

/** Every variable, for `${NAME}` references in imported config files. */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return { ...process.env };
}

/** The directory a command was started in (pnpm runs package scripts in the package folder). */
export function invocationDirectory(): string {
  return readDbEnv().INIT_CWD ?? process.cwd();
}

/** The URL the official Prisma CLI would use; empty when unset, which generate/validate accept. */
export function databaseUrlForCli(): string {
  return process.env.DATABASE_URL ?? '';
}
