// The one place the dashboard reads process.env, validated with zod. The database package
// reads its own variables (DATABASE_URL, SWITCHYARD_HOME, SWITCHYARD_SECRET_KEY).
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) =>
      value === undefined || value === '' ? fallback : value === 'true' || value === '1',
    );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Listen address: localhost unless told otherwise. */
  HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
  /** First run without the setup page: the admin account to create. */
  SWITCHYARD_ADMIN_EMAIL: optionalText.pipe(z.email('must be an email address').optional()),
  SWITCHYARD_ADMIN_PASSWORD: optionalText.pipe(
    z
      .string()
      .min(8, 'must be at least 8 characters')
      .max(200, 'must be at most 200 characters')
      .optional(),
  ),
  /**
   * First run through the setup page: the one-time token it asks for. Without it a random one
   * is made at start and printed on the console.
   */
  SWITCHYARD_SETUP_TOKEN: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /**
   * The address people use to reach the dashboard (`https://switchyard.example.com`): its host
   * name is accepted in the Host header besides the localhost names.
   */
  SWITCHYARD_PUBLIC_URL: optionalText.pipe(z.url('must be a URL').optional()),
  /**
   * Proxies whose X-Forwarded-For is believed, comma-separated addresses or IPv4 ranges
   * (`10.0.0.0/8`); from anyone else the header is ignored and the socket address counts.
   */
  SWITCHYARD_TRUSTED_PROXIES: optionalText.transform((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  ),
  /**
   * Addresses and ranges provider calls may not reach, comma-separated (`169.254.0.0/16,fe80::/10`);
   * `none` allows every address. Unset: link-local and the cloud metadata addresses.
   */
  SWITCHYARD_EGRESS_DENY: optionalText.transform((value) =>
    value === undefined
      ? undefined
      : value === 'none'
        ? []
        : value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean),
  ),
  /** How long a SIGTERM waits for the gateway and the database to close before the process ends. */
  SWITCHYARD_SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(25),
  /** Mark the session cookie Secure (set when the dashboard is served over HTTPS). */
  SWITCHYARD_SECURE_COOKIES: flag(false),
  /** Set by Next.js: `nodejs` in the server process. */
  NEXT_RUNTIME: optionalText,
  /** Set by Next.js while it builds. */
  NEXT_PHASE: optionalText,
  /** Seed the LM Studio provider and the default route into an empty database. */
  SWITCHYARD_SEED_DEFAULTS: flag(true),
});

export type DashboardEnv = z.output<typeof envSchema>;

let cached: DashboardEnv | undefined;

/** The dashboard's environment, validated once. Throws naming the bad variable. */
export function env(): DashboardEnv {
  if (cached) return cached;
  const result = envSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  cached = result.data;
  return cached;
}

/** Every variable, for the seed's provider variables (OPENAI_API_KEY, …) on first run. */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return { ...process.env };
}
