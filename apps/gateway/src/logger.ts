// Structured JSON logs (pino). Secrets never reach a log line: provider configs are not logged,
// and credential fields are redacted by path wherever a future log line might carry them.
import { pino, type DestinationStream, type Logger } from 'pino';
import { debugEnabled, type GatewayEnv } from './env.ts';

export type { Logger };

/** Header and field names that hold credentials, in any log object. */
const SECRET_FIELDS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'apiKey',
  'secretKey',
  'sessionToken',
] as const;

/**
 * pino redaction paths for every secret field at the top level and up to three levels down
 * (`headers.authorization`, `req.headers.cookie`, `provider.config.secretKey` …).
 */
export const REDACTED_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) =>
  ['', '*', '*.*', '*.*.*'].map((prefix) => redactionPath(prefix, field)),
);

function redactionPath(prefix: string, field: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(field)) return `${prefix}["${field}"]`;
  return prefix ? `${prefix}.${field}` : field;
}

export function createLogger(
  env: GatewayEnv,
  name = 'switchyard-gateway',
  destination?: DestinationStream,
): Logger {
  const level = env.LOG_LEVEL ?? (debugEnabled(env) ? 'debug' : 'info');
  const options = {
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return pino(options, destination ?? standardOutput());
}

/**
 * stdout as a plain stream. pino's own file destination retries a failed final flush forever when
 * the reader has gone (EPIPE), so a process whose output pipe was closed (a closed terminal, a
 * supervisor restarting) could never finish its shutdown. Once stdout is broken, log lines are
 * dropped.
 */
function standardOutput(): DestinationStream {
  let broken = false;
  process.stdout.on('error', () => {
    broken = true;
  });
  // Messages written with console.error meet a closed stderr the same way: dropped, not fatal.
  process.stderr.on('error', () => undefined);
  return {
    write(line: string) {
      if (!broken) process.stdout.write(line);
    },
  };
}
