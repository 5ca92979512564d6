// Structured JSON logs (pino). Secrets never reach a log line: provider configs are not logged.
import { pino, type Logger } from 'pino';
import { debugEnabled, type GatewayEnv } from './env.ts';

export type { Logger };

export function createLogger(env: GatewayEnv, name = 'switchyard-gateway'): Logger {
  const level = env.LOG_LEVEL ?? (debugEnabled(env) ? 'debug' : 'info');
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
