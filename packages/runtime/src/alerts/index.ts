// Alerts: gateway events to webhook deliveries (database mode).
export { alertPayload, alertText, type AlertEvent, type AlertEventName } from './alert-event.ts';
export { AlertWatcher, budgetLevel, type BudgetedKey } from './alert-watcher.ts';
export { DEFAULT_BACKOFF, nextRetryDelayMs, type BackoffPolicy } from './delivery-backoff.ts';
export {
  AlertDispatcher,
  sendWebhook,
  type AlertDispatcherOptions,
  type SendResult,
  type WebhookSender,
} from './webhook-dispatcher.ts';
export {
  SIGNATURE_HEADER,
  signWebhookBody,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from './webhook-signature.ts';
