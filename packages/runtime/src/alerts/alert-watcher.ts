// Turns gateway events into alerts: a provider going down or recovering (health checks), a
// circuit opening (only on the instance that saw it open, not on those that adopted it), and a
// key's month-to-date spend crossing 80 % or 100 % of its budget.
import type { Clock, GatewayEvents } from '@switchyard/core';
import type { AlertEvent } from './alert-event.ts';

export interface BudgetedKey {
  id: string;
  name: string;
  monthlyBudgetUsd?: number | undefined;
}

export interface AlertWatcherOptions {
  events: GatewayEvents;
  clock: Clock;
  /** Month-to-date spend of a key, as admission counts it. */
  spentThisMonth: (keyId: string) => number;
  raise: (alert: AlertEvent) => void;
}

type BudgetLevel = 0 | 80 | 100;

function monthOf(time: number): string {
  const date = new Date(time);
  return `${date.getUTCFullYear()}-${date.getUTCMonth()}`;
}

export function budgetLevel(spentUsd: number, budgetUsd: number): BudgetLevel {
  if (budgetUsd <= 0) return 0;
  if (spentUsd >= budgetUsd) return 100;
  if (spentUsd >= budgetUsd * 0.8) return 80;
  return 0;
}

/** Only this instance's own transitions: adopted ones were announced by their origin. */
const ADOPTED_REASON = 'changed by another instance';

export class AlertWatcher {
  private readonly healthy = new Map<string, boolean>();
  private budgets = new Map<string, BudgetedKey & { monthlyBudgetUsd: number }>();
  /** The highest level already alerted per key, in the month it was reached. */
  private readonly reached = new Map<string, { month: string; level: BudgetLevel }>();
  private readonly unsubscribers: Array<() => void>;
  private readonly pending = new Set<string>();
  private flushScheduled = false;

  constructor(private readonly options: AlertWatcherOptions) {
    const { events } = options;
    this.unsubscribers = [
      events.on('health', (event) => this.onHealth(event.provider, event.isHealthy, event.error)),
      events.on('circuit', (event) => {
        if (event.to !== 'open' || event.reason === ADOPTED_REASON) return;
        options.raise({
          event: 'circuit.open',
          provider: event.provider,
          ...(event.model === undefined ? {} : { model: event.model }),
          reason: event.reason,
        });
      }),
      events.on('request', (outcome) => {
        if (outcome.keyId === undefined || !outcome.costUsd) return;
        if (!this.budgets.has(outcome.keyId)) return;
        this.pending.add(outcome.keyId);
        this.scheduleBudgetCheck();
      }),
    ];
  }

  /**
   * The keys and their budgets (on every key reload). A level a key has already reached when it
   * is first seen, or after its budget changed, raises nothing: a restart must not repeat alerts.
   */
  setKeys(keys: readonly BudgetedKey[]): void {
    const now = this.options.clock.now();
    const month = monthOf(now);
    const next = new Map<string, BudgetedKey & { monthlyBudgetUsd: number }>();
    for (const key of keys) {
      if (key.monthlyBudgetUsd === undefined || key.monthlyBudgetUsd <= 0) continue;
      next.set(key.id, { ...key, monthlyBudgetUsd: key.monthlyBudgetUsd });
      const level = budgetLevel(this.options.spentThisMonth(key.id), key.monthlyBudgetUsd);
      const known = this.reached.get(key.id);
      if (known === undefined || known.month !== month || level < known.level)
        this.reached.set(key.id, { month, level });
    }
    this.budgets = next;
  }

  close(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
  }

  private onHealth(provider: string, isHealthy: boolean, error: string | undefined): void {
    const before = this.healthy.get(provider);
    this.healthy.set(provider, isHealthy);
    if (before === isHealthy) return;
    // The first result after start: only a failure is news.
    if (before === undefined && isHealthy) return;
    this.options.raise(
      isHealthy
        ? { event: 'provider.up', provider }
        : { event: 'provider.down', provider, ...(error === undefined ? {} : { error }) },
    );
  }

  // The request event may come before the entry adds the request's cost to the key's spend:
  // read the spend once the current turn is over.
  private scheduleBudgetCheck(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const ids = [...this.pending];
      this.pending.clear();
      for (const id of ids) this.checkBudget(id);
    });
  }

  private checkBudget(keyId: string): void {
    const key = this.budgets.get(keyId);
    if (key === undefined) return;
    const month = monthOf(this.options.clock.now());
    const spentUsd = this.options.spentThisMonth(keyId);
    const level = budgetLevel(spentUsd, key.monthlyBudgetUsd);
    const known = this.reached.get(keyId);
    const reachedBefore = known?.month === month ? known.level : 0;
    if (level <= reachedBefore) return;
    this.reached.set(keyId, { month, level });
    this.options.raise({
      event: level === 100 ? 'budget.100' : 'budget.80',
      keyId,
      keyName: key.name,
      budgetUsd: key.monthlyBudgetUsd,
      spentUsd,
    });
  }
}
