// One running gateway: the engine, the key ring, the HTTP handlers, and — in database mode —
// hot reload on change notifications, request logs and health results written in batches.
import { builtInPriceCatalogue, defaultAdapters } from '@switchyard/adapters';
import {
  activeKeysFromConfig,
  ChatEntry,
  createHttpHandler,
  createNodeHandler,
  Gateway,
  InferenceService,
  KeyRing,
  useResponseStore,
  type AdapterRegistry,
  type FetchHandler,
  type GatewayConfig,
  type GatewayEvents,
  type NodeHandler,
  type ProviderHealthView,
  type RequestOutcome,
} from '@switchyard/core';
// The database package is loaded only in database mode: a file-mode gateway never pays for it.
import type { Database, RequestLogInput, HealthCheckInput } from '@switchyard/db';
import { appendFile } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import type { GatewayError } from '@switchyard/core/spec';
import { AlertDispatcher } from './alerts/webhook-dispatcher.ts';
import { AlertWatcher } from './alerts/alert-watcher.ts';
import type { BackoffPolicy } from './alerts/delivery-backoff.ts';
import { RequestLogWriter } from './request-log-writer.ts';
import { openGatewayRefusal } from './open-gateway.ts';
import { scheduleRetention } from './retention-schedule.ts';
import { processEnvironment } from './env.ts';
import { monitoringFromEnvironment } from './monitoring-env.ts';
import { RedisResponseStore } from './state/redis-response-store.ts';
import { RedisState, type StateLog } from './state/redis-state.ts';
import { chooseStateStore, type Environment } from './state/state-store-env.ts';
import { startTracing, type Tracing } from './tracing/start-tracing.ts';
import { withTraceFields } from './tracing/log-fields.ts';

export interface GatewayRuntime {
  /** The REST proxy as a Fetch handler (Next.js route handlers). */
  handle: FetchHandler;
  /** The REST proxy as a node:http handler (the standalone server). */
  handleNode: NodeHandler;
  /** The transport-neutral chat entry (the dashboard's tRPC API calls it directly). */
  readonly entry: ChatEntry;
  readonly gateway: Gateway;
  readonly service: InferenceService;
  readonly events: GatewayEvents;
  readonly keys: KeyRing;
  health(): ProviderHealthView[];
  /**
   * The open-mode rule: while no API key exists, a 403 for a client that is not on this machine
   * (undefined when the call may go on). See open-gateway.ts.
   */
  refuseWhileOpen(clientAddress: string | undefined): GatewayError | undefined;
  /**
   * Database mode: webhook alerts (provider down / up, circuit open, key budget 80 % / 100 %),
   * delivered with retries; undefined in file mode or when turned off.
   */
  readonly alerts?: AlertDispatcher | undefined;
  /** Re-reads configuration and keys (database mode); a no-op in file mode. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger | undefined;
  adapters?: AdapterRegistry | undefined;
  /** Run active health checks (default true). */
  monitorHealth?: boolean | undefined;
  /** File mode: append one JSON line per request to this file (written in batches, off the request path). */
  requestLogPath?: string | undefined;
  /**
   * Database mode: prune old request logs, health results and expired sessions by the
   * dashboard's retention settings, hourly (default). `false` leaves it to another process.
   */
  retention?: false | { intervalMs?: number; firstDelayMs?: number } | undefined;
  /**
   * Where REDIS_URL / REDIS_CLUSTER_NODES are read (default: the process environment). Either
   * one turns on multi-instance mode: limits, budgets, circuits and the cache shared in Redis.
   */
  environment?: Environment | undefined;
  /**
   * Database mode: send webhook alerts (default on). Tests may poll faster or retry sooner.
   */
  alerts?: false | { pollIntervalMs?: number; backoff?: BackoffPolicy } | undefined;
}

export type GatewayRuntimeOptions = RuntimeOptions & ({ config: GatewayConfig } | { db: Database });

export async function createGatewayRuntime(
  options: GatewayRuntimeOptions,
): Promise<GatewayRuntime> {
  // OpenTelemetry traces when the OTEL_* variables ask for them; none: no tracer, no cost.
  const tracing = await startTracing(options.environment ?? processEnvironment(), (message) =>
    options.logger?.info(message),
  );
  return 'db' in options
    ? createDatabaseRuntime(options.db, options, tracing)
    : createFileRuntime(options.config, options, tracing);
}

/** Operational events in the logs: circuit and health changes always, each attempt and request in debug. */
function logEvents(events: GatewayEvents, logger: Logger): void {
  events.on('circuit', (event) =>
    logger.warn(
      event,
      `circuit ${event.to} for ${event.provider}${event.model ? `/${event.model}` : ''}`,
    ),
  );
  const healthy = new Map<string, boolean>();
  events.on('health', (event) => {
    if (healthy.get(event.provider) === event.isHealthy) return;
    healthy.set(event.provider, event.isHealthy);
    if (event.isHealthy) logger.info(event, `provider ${event.provider} is healthy`);
    else
      logger.warn(
        event,
        `provider ${event.provider} is unhealthy: ${event.error ?? 'health check failed'}`,
      );
  });
  if (!logger.isLevelEnabled('debug')) return;
  events.on('attempt', (event) => logger.debug(withTraceFields(event), 'attempt'));
  events.on('fallback', (event) => logger.debug(withTraceFields(event), 'fallback'));
  events.on('request', ({ attemptTrail: _trail, ...event }) =>
    logger.debug(withTraceFields(event), 'request'),
  );
}

/** The state store the environment asks for; the start-up log always names the one in use. */
function openSharedState(options: RuntimeOptions): {
  shared: RedisState | undefined;
  log: StateLog;
  reachable: (onChange: (store: string, up: boolean) => void) => void;
} {
  const logger = options.logger ?? pino();
  const log: StateLog = {
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
  };
  const choice = chooseStateStore(options.environment ?? processEnvironment());
  if (choice.note) logger.warn(choice.note);
  if (choice.target === undefined) {
    logger.info('state store: memory (single instance; set REDIS_URL to share state)');
    return { shared: undefined, log, reachable: () => undefined };
  }
  const storeName = choice.target.kind === 'cluster' ? 'redis-cluster' : 'redis';
  let report: (store: string, up: boolean) => void = () => undefined;
  let last = false;
  const shared = new RedisState({
    target: choice.target,
    log,
    onReachable: (up) => {
      last = up;
      report(storeName, up);
    },
  });
  logger.info(`state store: ${shared.description}`);
  return {
    shared,
    log,
    reachable: (onChange) => {
      report = onChange;
      onChange(storeName, last);
    },
  };
}

function buildCore(config: GatewayConfig, options: RuntimeOptions, tracing: Tracing | undefined) {
  const { shared, log, reachable } = openSharedState(options);
  const gateway = new Gateway({
    config,
    adapters: options.adapters ?? defaultAdapters,
    monitorHealth: options.monitorHealth ?? true,
    ...(shared ? { store: shared, quota: shared } : {}),
  });
  reachable((store, up) => gateway.metrics.setStateStoreUp(store, up));
  gateway.setTracer(tracing?.tracer);
  // List prices for models without their own; database mode swaps in a newer imported file.
  gateway.setPriceCatalogue(builtInPriceCatalogue());
  if (options.logger) logEvents(gateway.events, options.logger);
  const keys = new KeyRing(gateway.clock);
  const service = new InferenceService({ gateway });
  const handle = createHttpHandler({ gateway, keys });
  const handleNode = createNodeHandler({ gateway, keys });
  const entry = new ChatEntry({ gateway, keys });
  const refuseWhileOpen = (clientAddress: string | undefined) =>
    openGatewayRefusal(keys, clientAddress);
  return {
    gateway,
    keys,
    service,
    handle,
    handleNode,
    entry,
    refuseWhileOpen,
    tracing,
    shared,
    log,
  };
}

function createFileRuntime(
  config: GatewayConfig,
  options: RuntimeOptions,
  tracing: Tracing | undefined,
): GatewayRuntime {
  const { shared, log, ...core } = buildCore(config, options, tracing);
  // Without a database, stored responses are shared through Redis when the fleet has one.
  if (shared) useResponseStore(core.gateway, new RedisResponseStore({ redis: shared, log }));
  core.keys.setKeys(activeKeysFromConfig(config.keys));
  const path = options.requestLogPath;
  const requestLogs = path
    ? new RequestLogWriter<RequestLogInput>({
        write: (rows) => appendFile(path, rows.map((row) => JSON.stringify(row)).join('\n') + '\n'),
        onDrop: (count) => core.gateway.metrics.countDroppedLogs(count),
        ...(options.logger ? { logger: options.logger } : {}),
      })
    : undefined;
  const unsubscribe = requestLogs
    ? core.gateway.events.on('request', (outcome) => requestLogs.add(toLogRow(outcome)))
    : undefined;
  return {
    ...core,
    events: core.gateway.events,
    health: () => core.gateway.providerHealth(),
    reload: () => Promise.resolve(),
    close: async () => {
      unsubscribe?.();
      await requestLogs?.close();
      await core.gateway.close();
      await core.tracing?.shutdown();
    },
  };
}

/** The outcome as a log row: stamped with its start, in whole milliseconds, with its trail. */
function toLogRow(outcome: RequestOutcome): RequestLogInput {
  // Copied member by member: spreading the outcome into a literal with more members costs a new
  // hidden class per row in V8, on every request.
  const row = {} as Record<string, unknown>;
  for (const name in outcome)
    if (!NOT_COPIED_TO_ROW.has(name)) row[name] = outcome[name as keyof RequestOutcome];
  row.createdAt = new Date(outcome.startedAt);
  row.attemptTrail = outcome.attemptTrail ?? [];
  row.latencyMs = Math.round(outcome.latencyMs);
  if (outcome.firstTokenMs !== undefined) row.firstTokenMs = Math.round(outcome.firstTokenMs);
  return row as unknown as RequestLogInput;
}

const NOT_COPIED_TO_ROW: ReadonlySet<string> = new Set([
  'startedAt',
  'attemptTrail',
  'latencyMs',
  'firstTokenMs',
  // Log lines name the trace; the request-log table has no column for it.
  'traceId',
  'spanId',
]);

async function createDatabaseRuntime(
  db: Database,
  options: RuntimeOptions,
  tracing: Tracing | undefined,
): Promise<GatewayRuntime> {
  const {
    createRepositories,
    createStoredResponsesRepository,
    effectivePriceCatalogue,
    loadGatewayConfig,
    pruneByRetentionExclusively,
  } = await import('@switchyard/db');
  const definitions = options.adapters ?? defaultAdapters;
  const repositories = createRepositories(db, { definitions });
  const logger = options.logger;
  // The database holds no monitoring settings: the environment gives them.
  const monitoring = monitoringFromEnvironment(options.environment ?? processEnvironment());
  const loadConfig = async () => ({ ...(await loadGatewayConfig(db, definitions)), monitoring });
  const config = await loadConfig();
  // The database holds stored responses (below), whether or not the fleet shares Redis.
  const { shared, log: _log, ...core } = buildCore(config, options, tracing);
  const { gateway, keys } = core;
  // Responses API answers kept with `store` live in the database, shared by every instance.
  useResponseStore(gateway, createStoredResponsesRepository(db.prisma));

  const alerts =
    options.alerts === false
      ? undefined
      : new AlertDispatcher({
          alerts: repositories.alerts,
          clock: gateway.clock,
          // In a fleet, the first instance to see a transition sends its alert.
          claimOnce: shared ? (key, ttlMs) => shared.setIfAbsent(key, true, ttlMs) : undefined,
          log: logger,
          ...(options.alerts?.pollIntervalMs === undefined
            ? {}
            : { pollIntervalMs: options.alerts.pollIntervalMs }),
          ...(options.alerts?.backoff === undefined ? {} : { backoff: options.alerts.backoff }),
        });
  const alertWatcher = alerts
    ? new AlertWatcher({
        events: gateway.events,
        clock: gateway.clock,
        spentThisMonth: (keyId) => keys.spentThisMonth(keyId),
        raise: (alert) => alerts.raise(alert),
      })
    : undefined;

  const loadKeys = async () => {
    const active = await repositories.keys.activeKeys();
    alertWatcher?.setKeys(active);
    // Revoked or expired keys still mean keys are in use: the gateway must not fall open.
    const issued = active.length > 0 || (await repositories.keys.list()).length > 0;
    keys.setKeys(active, { configured: issued });
  };
  // Bodies in the request log when Settings turn it on, or a route or a key does.
  const loadBodyLogging = async () => {
    const settings = await repositories.settings.get();
    gateway.setBodyLogging({ enabled: settings.logBodies, maxBytes: settings.logBodyMaxBytes });
  };
  const loadPrices = async () => {
    const imported = await repositories.prices.stored();
    gateway.setPriceCatalogue(effectivePriceCatalogue(builtInPriceCatalogue(), imported));
  };
  keys.setSpend(await repositories.keys.monthToDateSpend());
  await loadKeys();
  await loadBodyLogging();
  await loadPrices();
  keys.setSpend(await repositories.keys.monthToDateSpend());
  alerts?.start();

  const requestLogs = new RequestLogWriter<RequestLogInput>({
    write: (rows) => repositories.requestLogs.insertMany(rows),
    onDrop: (count) => gateway.metrics.countDroppedLogs(count),
    ...(logger ? { logger } : {}),
  });
  const healthResults = new RequestLogWriter<HealthCheckInput>({
    write: (rows) => repositories.health.record(rows),
    onDrop: () => undefined,
    ...(logger ? { logger } : {}),
    flushDelayMs: 2000,
  });
  const usedKeys = new Set<string>();
  const unsubscribers = [
    gateway.events.on('request', (outcome) => {
      requestLogs.add(toLogRow(outcome));
      if (outcome.keyId) usedKeys.add(outcome.keyId);
    }),
    gateway.events.on('health', (event) => {
      healthResults.add({
        providerId: event.provider,
        isHealthy: event.isHealthy,
        checkedAt: new Date(event.checkedAt),
        ...(event.responseTime !== undefined ? { responseTime: event.responseTime } : {}),
        ...(event.error !== undefined ? { error: event.error } : {}),
      });
    }),
  ];
  const touchTimer = setInterval(() => {
    if (usedKeys.size === 0) return;
    const ids = [...usedKeys];
    usedKeys.clear();
    repositories.keys
      .touch(ids)
      .catch((error: unknown) => logger?.warn({ err: error }, 'could not record key use'));
  }, 10_000);
  touchTimer.unref();

  let reloading: Promise<void> | undefined;
  let pending = false;
  const reload = async (): Promise<void> => {
    if (reloading) {
      pending = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        pending = false;
        try {
          gateway.updateConfig(await loadConfig());
          await loadKeys();
          await loadBodyLogging();
          await loadPrices();
          logger?.debug('configuration reloaded');
        } catch (error) {
          // Keep serving on the last known configuration.
          logger?.error(
            { err: error },
            'configuration reload failed; serving the previous configuration',
          );
        }
      } while (pending);
    })().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  unsubscribers.push(db.changes.subscribe(() => void reload()));
  const stopRetention =
    options.retention === false
      ? undefined
      : scheduleRetention({
          prune: () => pruneByRetentionExclusively(db, repositories, gateway.clock.now()),
          intervalMs: options.retention?.intervalMs,
          firstDelayMs: options.retention?.firstDelayMs,
          logger,
        });

  return {
    ...core,
    events: gateway.events,
    alerts,
    health: () => gateway.providerHealth(),
    reload,
    close: async () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      clearInterval(touchTimer);
      alertWatcher?.close();
      await alerts?.close();
      await stopRetention?.();
      await Promise.all([requestLogs.close(), healthResults.close()]);
      await gateway.close();
      await core.tracing?.shutdown();
    },
  };
}
