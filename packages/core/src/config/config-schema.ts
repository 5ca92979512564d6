// The configuration schema: the seed's CloudConfig shape unchanged, plus Switchyard's extensions
// (more provider types, models with prices, weights, routes, keys, limits, cache).
import { z } from 'zod';

/** A provider's `type`: whatever a registered ProviderDefinition answers to. */
export type ProviderType = string;

export const STRATEGIES = [
  'priority',
  'round-robin',
  'weighted',
  'health-based',
  'least-busy',
  'cost',
] as const;

export type Strategy = (typeof STRATEGIES)[number];

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
    'may contain letters, digits, ".", "_", ":" and "-" only',
  );

const urlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const healthCheckSchema = z.object({
  /** A path relative to the provider endpoint (e.g. `/health`) or an absolute URL. */
  url: z.string().min(1, 'must not be empty'),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  expectedStatus: z.number().int().min(100).max(599).default(200),
  timeout: positiveInt.default(5000),
});

export const MODEL_KINDS = ['chat', 'embedding'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const modelSchema = z.object({
  /** The public name clients send as `model`. */
  name: z.string().min(1, 'must not be empty'),
  /** The model id the vendor expects (a deployment name, for vendors that deploy models). Defaults to `name`. */
  id: z.string().min(1, 'must not be empty').optional(),
  inputPricePerMTok: z.number().nonnegative().optional(),
  outputPricePerMTok: z.number().nonnegative().optional(),
  contextWindow: positiveInt.optional(),
  /**
   * Continues an answer from a trailing assistant message (a prefill), so a stream broken after
   * its first token can be continued here. Defaults to what the provider type declares.
   */
  assistantPrefill: z.boolean().optional(),
  /** A chat model (the default) or an embedding model. */
  kind: z.enum(MODEL_KINDS).optional(),
  /** Embedding models: the length of the vectors they return. */
  dimensions: positiveInt.optional(),
  /**
   * Embedding models: the vector space they write into. Targets with the same space and
   * dimensions are equivalent (the same model on two providers) and may fail over to each other;
   * defaults to the vendor model id.
   */
  space: z.string().min(1, 'must not be empty').optional(),
});

export const providerLimitsSchema = z.object({
  requestsPerMinute: positiveInt.optional(),
  tokensPerMinute: positiveInt.optional(),
  maxConcurrency: positiveInt.optional(),
});

/**
 * What core reads from every provider's `config`: the model it serves when it names one (the
 * seed's `modelId`, or a deployment). Each vendor's settings schema extends this one; other keys
 * pass through as in the seed.
 */
export const providerSettingsSchema = z.looseObject({
  modelId: z.string().optional(),
  deployment: z.string().optional(),
});

export const providerSchema = z.object({
  id: idSchema,
  name: z.string().min(1, 'must not be empty'),
  /** Checked against the registered definitions by parseConfig. */
  type: z.string().min(1, 'must not be empty'),
  endpoint: urlSchema.optional(),
  apiKey: z.string().optional(),
  config: providerSettingsSchema.optional(),
  priority: z.number().int().default(100),
  enabled: z.boolean().default(true),
  weight: z.number().nonnegative().default(1),
  models: z.array(modelSchema).default([]),
  limits: providerLimitsSchema.optional(),
  healthCheck: healthCheckSchema.optional(),
  /** Per-attempt timeout for this provider (ms); defaults to the global `timeout`. */
  timeout: positiveInt.optional(),
  /** A local inference server rather than a cloud service; parseConfig asks the definition when unset. */
  local: z.boolean().optional(),
  /** Streams: the longest silence between two events once streaming (ms). */
  streamIdleTimeout: positiveInt.optional(),
});

export const routeTargetSchema = z.object({
  provider: idSchema,
  /** Vendor model for this target; defaults to the provider's mapping of the route name. */
  model: z.string().min(1).optional(),
  weight: z.number().nonnegative().default(1),
});

export const cacheSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  ttlSeconds: positiveInt.default(300),
});

export const routeSchema = z.object({
  /** The virtual model name clients send as `model`. */
  name: z.string().min(1, 'must not be empty'),
  /** What the route serves: chat (the default) or embeddings. */
  kind: z.enum(MODEL_KINDS).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  /** Ordered targets; an empty list means every enabled provider. */
  targets: z.array(routeTargetSchema).default([]),
  /** Routes tried, in order, when every target failed. */
  fallbacks: z.array(z.string().min(1)).default([]),
  /** Route used when the request is too long for this route's context window. */
  contextLengthFallback: z.string().min(1).optional(),
  retryAttempts: nonNegativeInt.max(10).optional(),
  retryDelay: nonNegativeInt.optional(),
  /** Per-attempt timeout (ms). */
  timeout: positiveInt.optional(),
  /** Total deadline of a request across retries and fallbacks (ms). */
  requestTimeout: positiveInt.optional(),
  firstTokenTimeout: positiveInt.optional(),
  /** The largest max_tokens a request on this route may ask for (the seed's validation). */
  maxTokens: positiveInt.optional(),
  cache: cacheSettingsSchema.optional(),
  /** Streams: the longest silence between two events once streaming (ms). */
  streamIdleTimeout: positiveInt.optional(),
  /** Streams broken after the first token are continued on a prefill-capable target (default on). */
  continuation: z.boolean().optional(),
  /** Request and response bodies in the request log: on or off here; unset follows the global setting. */
  logBodies: z.boolean().optional(),
});

export const keyLimitsSchema = z.object({
  requestsPerMinute: positiveInt.optional(),
  tokensPerMinute: positiveInt.optional(),
  /** Requests in flight at once on one instance, open streams included. */
  maxConcurrency: positiveInt.optional(),
});

export const apiKeySchema = z
  .object({
    id: idSchema.optional(),
    name: z.string().min(1, 'must not be empty'),
    /** The key itself (file mode; `${ENV}` allowed) … */
    key: z.string().min(8, 'must be at least 8 characters').optional(),
    /** … or its SHA-256 hex digest. */
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest')
      .optional(),
    /** Route or model names this key may use; empty means all. */
    allowedRoutes: z.array(z.string().min(1)).default([]),
    limits: keyLimitsSchema.optional(),
    monthlyBudgetUsd: z.number().nonnegative().optional(),
    expiresAt: z.coerce.date().optional(),
    strategy: z.enum(STRATEGIES).optional(),
    /** Body logging for this key's requests: wins over the route and the global setting; unset follows them. */
    logBodies: z.boolean().optional(),
    revoked: z.boolean().default(false),
  })
  .refine((key) => key.key !== undefined || key.hash !== undefined, {
    message: 'needs either `key` or `hash`',
    path: ['key'],
  });

export const configSchema = z.object({
  providers: z.array(providerSchema).default([]),
  // the seed's global options
  loadBalancing: z.enum(STRATEGIES).default('priority'),
  retryAttempts: nonNegativeInt.max(10).default(3),
  retryDelay: nonNegativeInt.default(1000),
  /** Per-attempt timeout (ms), as in the seed. */
  timeout: positiveInt.default(30000),
  /** Total deadline of a request across retries and fallbacks (ms). */
  requestTimeout: positiveInt.default(120000),
  enableHealthMonitoring: z.boolean().default(true),
  healthCheckInterval: positiveInt.min(1000, 'must be at least 1000 ms').default(30000),
  healthCheck: healthCheckSchema.optional(),
  /** The seed's InferenceServiceFactory options. */
  defaultProvider: z.string().min(1).default('auto'),
  autoFallback: z.boolean().default(true),
  // extensions
  /** Streams: time allowed until the first output token (ms); defaults to `timeout`. */
  firstTokenTimeout: positiveInt.optional(),
  /** The route used when a request names no model. */
  defaultRoute: z.string().min(1).optional(),
  routes: z.array(routeSchema).default([]),
  keys: z.array(apiKeySchema).default([]),
  cache: z
    .object({
      enabled: z.boolean().default(false),
      ttlSeconds: positiveInt.default(300),
      maxEntries: positiveInt.default(1000),
    })
    .default({ enabled: false, ttlSeconds: 300, maxEntries: 1000 }),
  maxRequestBodyBytes: positiveInt.default(4 * 1024 * 1024),
  circuitBreaker: z
    .object({
      consecutiveFailures: positiveInt.default(5),
      errorRatio: z.number().gt(0).max(1).default(0.5),
      minimumRequests: positiveInt.default(20),
      windowMs: positiveInt.default(60_000),
      cooldownMs: positiveInt.default(5_000),
      /** A provider down for hours is re-tested by one real request every this many ms. */
      maxCooldownMs: positiveInt.default(10_000),
      halfOpenProbes: positiveInt.default(1),
      slowStartMs: nonNegativeInt.default(30_000),
    })
    .optional(),
  /** Streams: the longest silence between two events once streaming (ms); 30 s when unset. */
  streamIdleTimeout: positiveInt.optional(),
  /** Streams broken after the first token are continued on a prefill-capable target; on when unset. */
  continuation: z.boolean().optional(),
  /**
   * Who may read `/metrics` and `/health/providers`: any API key, or `token` (a scraper's
   * bearer token); everyone only when `public` is true (a trusted scrape network).
   */
  monitoring: z
    .object({
      public: z.boolean().default(false),
      token: z.string().min(16, 'must be at least 16 characters').optional(),
    })
    .default({ public: false }),
});

/** The config as written (before defaults). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after validation, with every default filled in. */
export type GatewayConfig = z.output<typeof configSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type ProviderInput = z.input<typeof providerSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type RouteTargetConfig = z.output<typeof routeTargetSchema>;
export type ApiKeyConfig = z.output<typeof apiKeySchema>;
export type HealthCheckConfig = z.output<typeof healthCheckSchema>;
export type ProviderLimits = z.output<typeof providerLimitsSchema>;
export type KeyLimits = z.output<typeof keyLimitsSchema>;
export type ProviderSettings = z.output<typeof providerSettingsSchema>;
export type CircuitBreakerSettings = NonNullable<GatewayConfig['circuitBreaker']>;
