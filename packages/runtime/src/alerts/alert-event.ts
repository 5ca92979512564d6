// What an alert says: one JSON body per event, with a Slack-compatible `text` line, so the same
// webhook works for Slack incoming webhooks and for receivers that read the fields.

export type AlertEventName =
  'provider.down' | 'provider.up' | 'circuit.open' | 'budget.80' | 'budget.100' | 'test';

export type AlertEvent =
  | { event: 'provider.down'; provider: string; error?: string | undefined }
  | { event: 'provider.up'; provider: string }
  | {
      event: 'circuit.open';
      provider: string;
      model?: string | undefined;
      reason: string;
    }
  | {
      event: 'budget.80' | 'budget.100';
      keyId: string;
      keyName: string;
      budgetUsd: number;
      spentUsd: number;
    }
  | { event: 'test' };

export interface AlertPayload {
  event: AlertEventName;
  /** One line for chat tools (Slack reads `text`). */
  text: string;
  /** ISO 8601. */
  occurredAt: string;
  [field: string]: unknown;
}

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

export function alertText(alert: AlertEvent): string {
  switch (alert.event) {
    case 'provider.down':
      return `Switchyard: provider ${alert.provider} is down${alert.error ? ` (${alert.error})` : ''}`;
    case 'provider.up':
      return `Switchyard: provider ${alert.provider} has recovered`;
    case 'circuit.open': {
      const target =
        alert.model === undefined ? alert.provider : `${alert.provider}/${alert.model}`;
      return `Switchyard: circuit open for ${target} (${alert.reason})`;
    }
    case 'budget.80':
    case 'budget.100': {
      const share = alert.event === 'budget.80' ? '80 %' : '100 %';
      return `Switchyard: key ${alert.keyName} has used ${share} of its monthly budget (${usd(alert.spentUsd)} of ${usd(alert.budgetUsd)})`;
    }
    case 'test':
      return 'Switchyard: test alert — this webhook receives Switchyard alerts';
  }
}

export function alertPayload(alert: AlertEvent, at: number): AlertPayload {
  return { ...alert, text: alertText(alert), occurredAt: new Date(at).toISOString() };
}

/**
 * The key that makes one event one alert across a fleet: instances that see the same transition
 * within the dedupe window agree on it. Time-bucketed for transitions that can repeat.
 */
export function dedupeKey(alert: AlertEvent, at: number, windowMs: number): string {
  const bucket = Math.floor(at / windowMs);
  switch (alert.event) {
    case 'provider.down':
    case 'provider.up':
      return `${alert.event}:${encodeURIComponent(alert.provider)}:${bucket}`;
    case 'circuit.open':
      return `${alert.event}:${encodeURIComponent(alert.provider)}|${encodeURIComponent(alert.model ?? '')}:${bucket}`;
    case 'budget.80':
    case 'budget.100': {
      const date = new Date(at);
      return `${alert.event}:${encodeURIComponent(alert.keyId)}:${date.getUTCFullYear()}-${date.getUTCMonth() + 1}`;
    }
    case 'test':
      return `test:${at}`;
  }
}
