// Sends alerts to the webhooks in the database. An alert becomes one delivery row per enabled
// webhook (so a restart loses none), and every instance sharing the database sends due rows:
// a row is claimed by a lease before it is sent, so no two instances send the same one. Before
// a row is written, a fleet-wide dedupe key (Redis SET NX) makes one transition one alert when
// several instances observe it. Calls go through the adapters' HTTP path, so the egress
// deny-list for provider endpoints applies to webhook URLs as well; redirects are not followed.
import { abandonBody, readText, sendRequest } from '@switchyard/adapters';
import type { Clock } from '@switchyard/core';
import type { AlertsRepository, DeliveryRecord, WebhookTarget } from '@switchyard/db';
import { alertPayload, dedupeKey, type AlertEvent } from './alert-event.ts';
import {
  DEFAULT_BACKOFF,
  isRetryableStatus,
  nextRetryDelayMs,
  type BackoffPolicy,
} from './delivery-backoff.ts';
import { SIGNATURE_HEADER, signWebhookBody, TIMESTAMP_HEADER } from './webhook-signature.ts';

export interface AlertLog {
  warn(details: object, message: string): void;
}

/** One HTTP attempt's outcome. */
export interface SendResult {
  ok: boolean;
  status?: number;
  error?: string;
  /** Worth another attempt (a 5xx, 408, 429, a network error). */
  retryable: boolean;
}

export type WebhookSender = (
  target: WebhookTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<SendResult>;

export interface AlertDispatcherOptions {
  alerts: AlertsRepository;
  clock: Clock;
  /** Fleet-wide "first to claim this key" (Redis SET NX with a TTL); absent: every alert is sent. */
  claimOnce?: ((key: string, ttlMs: number) => Promise<boolean>) | undefined;
  log?: AlertLog | undefined;
  send?: WebhookSender;
  backoff?: BackoffPolicy;
  /** How often due deliveries are looked for (default 1 s). */
  pollIntervalMs?: number;
  /** How long a claimed delivery stays reserved for its sender (default 30 s). */
  leaseMs?: number;
  timeoutMs?: number;
  /** Alerts of one kind for one target within this window are one alert (default 60 s). */
  dedupeWindowMs?: number;
  random?: () => number;
}

const MAX_ERROR_BODY = 200;
const BATCH = 20;

/** POSTs the body through the adapters' HTTP path (keep-alive pool, egress deny-list). */
export const sendWebhook: WebhookSender = async (target, body, headers, timeoutMs) => {
  const request = {
    url: target.url,
    method: 'POST' as const,
    headers,
    body,
    signal: AbortSignal.timeout(timeoutMs),
    deadline: Date.now() + timeoutMs,
    provider: 'webhook',
  };
  try {
    const response = await sendRequest(request);
    if (response.status >= 200 && response.status < 300) {
      abandonBody(response);
      return { ok: true, status: response.status, retryable: false };
    }
    const text = await readText(response, request, 64 * 1024).catch(() => '');
    const detail = text.trim().slice(0, MAX_ERROR_BODY);
    return {
      ok: false,
      status: response.status,
      error: `HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
      retryable: isRetryableStatus(response.status),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A denied address stays denied: no point in asking again.
    return { ok: false, error: message, retryable: !message.includes('egress deny-list') };
  }
};

export class AlertDispatcher {
  private readonly options: AlertDispatcherOptions;
  private readonly send: WebhookSender;
  private readonly leaseMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: AlertDispatcherOptions) {
    this.options = options;
    this.send = options.send ?? sendWebhook;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  start(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setInterval(() => void this.tick(), this.options.pollIntervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Queues an alert for every enabled webhook (once per fleet) and sends it soon. */
  raise(alert: AlertEvent): void {
    this.track(this.publish(alert));
  }

  /** Sends a test alert to one webhook now, waiting for the first attempt's result. */
  async sendTest(webhookId: string): Promise<DeliveryRecord> {
    const payload = alertPayload({ event: 'test' }, this.options.clock.now());
    // Queued already claimed by this call: no poll, here or elsewhere, sends it meanwhile.
    const [queued] = await this.options.alerts.enqueue('test', payload, {
      webhookId,
      claimForMs: this.leaseMs,
    });
    if (queued === undefined) throw new Error('the test delivery was not queued');
    return this.deliver(queued);
  }

  /** Sends every due delivery; overlapping calls fold into one more round. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const due = await this.options.alerts.claimDue(
            new Date(this.options.clock.now()),
            BATCH,
            this.leaseMs,
          );
          await Promise.all(due.map((delivery) => this.deliver(delivery)));
          if (due.length === BATCH) this.again = true;
        } catch (error) {
          this.options.log?.warn({ err: error }, 'alert deliveries could not be sent');
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight, this.running]);
  }

  private async publish(alert: AlertEvent): Promise<void> {
    const now = this.options.clock.now();
    const window = this.options.dedupeWindowMs ?? 60_000;
    const key = dedupeKey(alert, now, window);
    const claimOnce = this.options.claimOnce;
    if (claimOnce !== undefined) {
      // Budget alerts hold for their month; transitions for the window.
      const ttl = alert.event.startsWith('budget.') ? 32 * 24 * 3_600_000 : window;
      const first = await claimOnce(`alert:${key}`, ttl).catch((error: unknown) => {
        // Redis away: a duplicate is better than a lost alert.
        this.options.log?.warn({ err: error }, 'alert dedupe unavailable; sending anyway');
        return true;
      });
      if (!first) return;
    }
    const queued = await this.options.alerts.enqueue(alert.event, alertPayload(alert, now));
    if (queued.length > 0) await this.tick();
  }

  private async deliver(delivery: DeliveryRecord): Promise<DeliveryRecord> {
    const { alerts, clock } = this.options;
    const target = await alerts.target(delivery.webhookId);
    const now = clock.now();
    if (target === undefined) return delivery;
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(now / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Switchyard-Alerts/1',
      'x-switchyard-event': delivery.event,
      'x-switchyard-delivery': delivery.id,
      [TIMESTAMP_HEADER]: String(timestamp),
    };
    if (target.secret !== undefined)
      headers[SIGNATURE_HEADER] = signWebhookBody(body, target.secret, timestamp);
    const result = await this.send(target, body, headers, this.options.timeoutMs ?? 10_000);
    const attemptsMade = delivery.attempts + 1;
    const wait = result.retryable
      ? nextRetryDelayMs(attemptsMade, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random)
      : undefined;
    const at = clock.now();
    if (!result.ok && wait === undefined)
      this.options.log?.warn(
        { delivery: delivery.id, event: delivery.event, attempts: attemptsMade },
        `alert delivery failed for good: ${result.error ?? 'failed'}`,
      );
    return alerts.recordAttempt(delivery.id, {
      ok: result.ok,
      at: new Date(at),
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.ok || wait === undefined ? {} : { retryAt: new Date(at + wait) }),
    });
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.options.log?.warn({ err: error }, 'an alert could not be queued'),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}
