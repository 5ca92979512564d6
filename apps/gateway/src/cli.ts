// `pnpm gateway [--config <file>] [--port <n>] [--host <h>]`: the standalone data plane.
// With --config it runs from the file alone; without, it reads the database and reloads on change.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { defaultDefinitions } from '@switchyard/adapters';
import { ConfigError, loadConfigFile } from '@switchyard/core';
import { configEnvironment, readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { createGatewayRuntime, type GatewayRuntime } from '@switchyard/runtime';
import { isLoopbackHost, weakKeyRefusal } from './listen-policy.ts';
import { startGatewayServer } from './server.ts';

const USAGE =
  'usage: pnpm gateway [--config <file>] [--port <n>] [--host <address>] [--request-log <file.jsonl>]';

async function main(): Promise<void> {
  const env = readEnv();
  const logger = createLogger(env);
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'request-log': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const port = args.port !== undefined ? Number(args.port) : (env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, got "${args.port}"\n${USAGE}`);
    process.exit(2);
  }
  let host = args.host ?? env.HOST ?? '127.0.0.1';

  let runtime: GatewayRuntime;
  let closeDatabase: (() => Promise<void>) | undefined;
  if (args.config !== undefined) {
    const path = resolve(process.env.INIT_CWD ?? process.cwd(), args.config);
    try {
      const config = await loadConfigFile(path, defaultDefinitions, configEnvironment());
      const requestLog = args['request-log'];
      runtime = await createGatewayRuntime({
        config,
        logger,
        ...(requestLog
          ? { requestLogPath: resolve(process.env.INIT_CWD ?? process.cwd(), requestLog) }
          : {}),
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(error.message);
        for (const issue of error.issues)
          console.error(`  - ${issue.path || '(file)'}: ${issue.message}`);
        process.exit(1);
      }
      throw error;
    }
    logger.info({ config: path }, 'configuration loaded from file');
  } else {
    const { openDatabase } = await import('@switchyard/db');
    const db = await openDatabase();
    closeDatabase = () => db.close();
    runtime = await createGatewayRuntime({ db, logger });
    logger.info(
      { database: db.kind },
      'configuration loaded from the database; reloading on change',
    );
  }

  const weak = weakKeyRefusal(host, runtime.gateway.currentConfig.keys, runtime.keys);
  if (weak !== undefined) {
    console.error(weak);
    await runtime.close();
    await closeDatabase?.();
    process.exit(1);
  }
  if (runtime.keys.open) {
    if (!isLoopbackHost(host)) {
      logger.warn(
        { requested: host },
        'no API keys are configured: refusing to listen beyond localhost',
      );
      host = '127.0.0.1';
    }
    logger.warn(
      'NO API KEYS CONFIGURED: the gateway is OPEN to anyone who can reach it. Add keys to serve beyond localhost.',
    );
  }

  const server = await startGatewayServer(runtime, {
    port,
    host,
    logger,
    limits: { maxConnectionsPerClient: env.SWITCHYARD_MAX_CONNECTIONS_PER_CLIENT },
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, inFlight: server.inFlight },
      'shutting down: finishing in-flight requests',
    );
    const graceMs = env.SWITCHYARD_SHUTDOWN_GRACE_SECONDS * 1000;
    // Whatever holds the shutdown up (a log stream, a database), the process ends after the grace.
    setTimeout(() => process.exit(0), graceMs + 2_000).unref();
    void (async () => {
      await server.shutdown(graceMs);
      await runtime.close();
      await closeDatabase?.();
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Said once the signals are handled: a supervisor may stop the process as soon as it is ready.
  logger.info(
    { url: server.url, providers: runtime.gateway.currentConfig.providers.length },
    'Switchyard gateway listening',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
