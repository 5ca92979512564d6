// @switchyard/runtime: one running gateway (engine, key ring, HTTP handlers, request logs), shared
// by the standalone gateway and the dashboard.
export {
  createGatewayRuntime,
  type GatewayRuntime,
  type GatewayRuntimeOptions,
  type RuntimeOptions,
} from './runtime.ts';
export { RequestLogWriter, type RequestLogWriterOptions } from './request-log-writer.ts';
export {
  isLoopbackAddress,
  LOOPBACK_HOSTS,
  OPEN_GATEWAY_WARNING,
  openGatewayRefusal,
} from './open-gateway.ts';
export {
  RETENTION_INTERVAL_MS,
  scheduleRetention,
  type RetentionScheduleOptions,
} from './retention-schedule.ts';
export { listen, ListenError } from './listen.ts';
export { debugLoggerFor, debugSwitchOn } from './debug-switch.ts';
export {
  AlertDispatcher,
  alertText,
  DEFAULT_BACKOFF,
  nextRetryDelayMs,
  signWebhookBody,
  verifyWebhookSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type AlertEvent,
  type BackoffPolicy,
} from './alerts/index.ts';
