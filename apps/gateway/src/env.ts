// The gateway's environment, read and validated in one place.
import { z } from 'zod';
import { debugSwitchOn } from '@switchyard/runtime';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  /** The seed's debug switch: `DEBUG=switchyard:*` (or `cloud-inference:*`) turns on debug logs. */
  DEBUG: z.string().optional(),
  REACT_APP_DEBUG: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Seconds in-flight requests get to finish after SIGTERM. */
  SWITCHYARD_SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(25),
  /** Open connections one client address may hold (raise it behind a reverse proxy). */
  SWITCHYARD_MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().positive().default(256),
});

export type GatewayEnv = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issues = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid environment: ${issues}`);
  }
  return result.data;
}

/** A copy of the process environment for `${ENV}` references in config files. */
export function configEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}

export function debugEnabled(env: GatewayEnv): boolean {
  return debugSwitchOn(env);
}
