// The process-wide data plane: one database, its repositories and one gateway runtime, created
// lazily on first use and shared by every route handler, page and tRPC call. Kept on globalThis
// because Next.js may load this module once per route bundle.
//
// The database, runtime and adapters packages are imported at run time, outside the bundle (Node
// resolves them, the tsx loader compiles them): there is exactly one instance of each per
// process, and the database package finds its migrations next to its own source files. The
// adapters must be the runtime's own copy: its router recognises provider failures (a 429, a
// refused connection) by class, and errors thrown by a bundled copy of core would all look like
// local bugs, never charged to a circuit or a cool-down. Which copy starts the services depends
// on who asks first (server.ts or the bundled instrumentation hook), so neither may bring its own.
import type * as AdaptersModule from '@switchyard/adapters';
import type * as DbModule from '@switchyard/db';
import type * as RuntimeModule from '@switchyard/runtime';
import { defaultDefinitions } from '@switchyard/adapters';
import { env } from '../env.ts';
import {
  providerTemplates,
  systemClock,
  type Clock,
  type ProviderRegistry,
  type ProviderTemplate,
} from '@switchyard/core';
import { bootstrap } from './bootstrap.ts';
import { SignInLimiter } from './auth/sign-in-limiter.ts';
import { RecentAttemptErrors } from './attempt-errors.ts';

export interface ConfigFiles {
  providerTemplates: ProviderTemplate[];
  exportConfig(): ReturnType<typeof DbModule.exportConfig>;
  importConfig(input: unknown, actor: DbModule.Actor): ReturnType<typeof DbModule.importConfig>;
}

export interface Services {
  db: DbModule.Database;
  /** The provider types this dashboard offers and validates against. */
  definitions: ProviderRegistry;
  repositories: DbModule.Repositories;
  runtime: RuntimeModule.GatewayRuntime;
  config: ConfigFiles;
  clock: Clock;
  signInLimiter: SignInLimiter;
  /** The latest failed attempt per provider and model, for the Providers page. */
  attemptErrors: RecentAttemptErrors;
}

const SERVICES = Symbol.for('switchyard.dashboard.services');

type GlobalWithServices = typeof globalThis & { [SERVICES]?: Promise<Services> };

async function start(): Promise<Services> {
  const dbModule: typeof DbModule = await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ '@switchyard/db'
  );
  const runtimeModule: typeof RuntimeModule = await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ '@switchyard/runtime'
  );
  const adaptersModule: typeof AdaptersModule = await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ '@switchyard/adapters'
  );
  const definitions = adaptersModule.defaultDefinitions;
  const egressDeny = env().SWITCHYARD_EGRESS_DENY;
  if (egressDeny) adaptersModule.setEgressDenyList(egressDeny);
  const db = await dbModule.openDatabase();
  try {
    const repositories = dbModule.createRepositories(db, { definitions });
    await bootstrap(repositories, definitions);
    // The seed's debug switches (DEBUG=cloud-inference:*, REACT_APP_DEBUG=true) log each attempt.
    const logger = runtimeModule.debugLoggerFor({
      DEBUG: process.env.DEBUG,
      REACT_APP_DEBUG: process.env.REACT_APP_DEBUG,
    });
    const runtime = await runtimeModule.createGatewayRuntime({
      db,
      adapters: definitions,
      ...(logger ? { logger } : {}),
    });
    const services = assembleServices(
      dbModule,
      db,
      repositories,
      runtime,
      systemClock,
      definitions,
    );
    closeOnExit(services);
    return services;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The services around an open database and a running gateway. */
export function assembleServices(
  dbModule: Pick<typeof DbModule, 'exportConfig' | 'importConfig'>,
  db: DbModule.Database,
  repositories: DbModule.Repositories,
  runtime: RuntimeModule.GatewayRuntime,
  clock: Clock = systemClock,
  definitions: ProviderRegistry = defaultDefinitions,
): Services {
  return {
    db,
    definitions,
    repositories,
    runtime,
    config: {
      providerTemplates: providerTemplates(definitions),
      exportConfig: () => dbModule.exportConfig(db),
      // Never `${VAR}` from the server's environment: an admin must not read it through a name.
      importConfig: (input, actor) =>
        dbModule.importConfig(db, input, actor, { definitions, interpolation: 'none' }),
    },
    clock,
    signInLimiter: new SignInLimiter({ clock }),
    attemptErrors: followedAttemptErrors(runtime),
  };
}

function followedAttemptErrors(runtime: RuntimeModule.GatewayRuntime): RecentAttemptErrors {
  const errors = new RecentAttemptErrors();
  errors.follow(runtime.events);
  return errors;
}

function closeOnExit(services: Services): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    // Whatever holds the close up (a stream still open, a database, a closed output pipe), the
    // process ends after the grace period.
    setTimeout(() => process.exit(0), env().SWITCHYARD_SHUTDOWN_GRACE_SECONDS * 1000).unref();
    void (async () => {
      try {
        await services.runtime.close();
        await services.db.close();
      } finally {
        process.kill(process.pid, signal);
      }
    })();
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
}

/** The shared services, started on first call. A failed start is retried on the next call. */
export function getServices(): Promise<Services> {
  const holder = globalThis as GlobalWithServices;
  let services = holder[SERVICES];
  if (!services) {
    services = start();
    holder[SERVICES] = services;
    services.catch(() => {
      if (holder[SERVICES] === services) delete holder[SERVICES];
    });
  }
  return services;
}
