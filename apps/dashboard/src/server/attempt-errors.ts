// The latest failed attempt per provider and per provider model, from the gateway's request
// events: what the Providers page shows as "last error" beside each circuit.
import type { AttemptRecord, GatewayEvents } from '@switchyard/core';

export interface AttemptError {
  message: string;
  kind: string | null;
  status: number | null;
  /** When the request that made the attempt started (epoch ms). */
  at: number;
}

function modelKey(provider: string, model: string): string {
  return `${provider}\u0000${model}`;
}

function toAttemptError(attempt: AttemptRecord, at: number): AttemptError {
  return {
    message: attempt.message ?? attempt.kind ?? 'failed',
    kind: attempt.kind ?? null,
    status: attempt.status ?? null,
    at,
  };
}

export class RecentAttemptErrors {
  private readonly byProvider = new Map<string, AttemptError>();
  private readonly byModel = new Map<string, AttemptError>();

  /** Follows the gateway's finished requests; returns the function that stops following. */
  follow(events: GatewayEvents): () => void {
    return events.on('request', (outcome) => {
      for (const attempt of outcome.attemptTrail ?? []) this.note(attempt, outcome.startedAt);
    });
  }

  /** Keeps a failed attempt (skipped and successful ones say nothing about an error). */
  note(attempt: AttemptRecord, at: number): void {
    if (attempt.outcome !== 'error') return;
    const error = toAttemptError(attempt, at);
    this.byProvider.set(attempt.provider, error);
    this.byModel.set(modelKey(attempt.provider, attempt.model), error);
  }

  forProvider(provider: string): AttemptError | undefined {
    return this.byProvider.get(provider);
  }

  forModel(provider: string, model: string): AttemptError | undefined {
    return this.byModel.get(modelKey(provider, model));
  }

  /** The models of a provider that have failed at least once. */
  modelsOf(provider: string): string[] {
    const prefix = `${provider}\u0000`;
    return [...this.byModel.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
  }
}
