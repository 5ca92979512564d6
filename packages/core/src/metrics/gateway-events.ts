// Typed gateway events for logs and the dashboard: one per attempt, fallback, circuit change,
// health result and finished request.
import type { CircuitState } from '../resilience/circuit-breakers.ts';
import type { AttemptRecord } from '../spec/errors.ts';

/** One finished request, as logged and measured. */
/** The wire format a client spoke: Chat Completions, Responses, Messages, embeddings, legacy completions. */
export const CLIENT_DIALECTS = [
  'chat',
  'responses',
  'messages',
  'embeddings',
  'completions',
] as const;
export type ClientDialect = (typeof CLIENT_DIALECTS)[number];

export interface RequestOutcome {
  requestId: string;
  dialect?: ClientDialect;
  keyId?: string;
  route?: string;
  provider?: string;
  model?: string;
  status: number;
  stream: boolean;
  attempts: number;
  latencyMs: number;
  firstTokenMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Of the input tokens: read from, and written to, the vendor's prompt cache. */
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  /** Of the output tokens: the model's reasoning. */
  reasoningTokens?: number;
  /** The token figures were counted by the gateway: the upstream reported no usage. */
  usageEstimated?: boolean;
  costUsd?: number;
  errorKind?: string;
  errorMessage?: string;
  cache?: 'hit' | 'miss';
  startedAt: number;
  /** Only with body logging on: the request and the answer, masked and capped (`body-capture.ts`). */
  requestBody?: unknown;
  responseBody?: unknown;
  /** Every attempt of the request, for request logs. */
  attemptTrail?: AttemptRecord[];
  /** When the request is traced: its trace and its span, for log lines. */
  traceId?: string;
  spanId?: string;
}

/** The trace a request's log lines name when it is traced. */
export interface TraceIds {
  traceId?: string;
  spanId?: string;
}

export interface GatewayEventMap {
  attempt: TraceIds & {
    requestId: string;
    provider: string;
    model: string;
    attempt: number;
    outcome: 'success' | 'error';
    kind?: string;
    status?: number;
    latencyMs: number;
    retryInMs?: number;
  };
  fallback: TraceIds & { requestId: string; from: string; to: string; reason: string };
  circuit: {
    provider: string;
    model?: string;
    from: CircuitState;
    to: CircuitState;
    reason: string;
  };
  health: {
    provider: string;
    isHealthy: boolean;
    responseTime?: number;
    error?: string;
    checkedAt: number;
  };
  request: RequestOutcome;
}

export type GatewayEventName = keyof GatewayEventMap;

/** Return values are ignored, except that a rejected promise (async listener) is reported like a throw. */
type Listener<K extends GatewayEventName> = (event: GatewayEventMap[K]) => unknown;

export interface GatewayEventsOptions {
  /** Told about a listener that threw or rejected; the default writes it to stderr. */
  onListenerError?: (error: unknown, name: GatewayEventName) => void;
}

function reportToStderr(error: unknown, name: GatewayEventName): void {
  console.error(`switchyard: a "${name}" event listener failed:`, error);
}

export class GatewayEvents {
  private readonly listeners = new Map<GatewayEventName, Set<Listener<never>>>();
  private readonly onListenerError: (error: unknown, name: GatewayEventName) => void;

  constructor(options: GatewayEventsOptions = {}) {
    this.onListenerError = options.onListenerError ?? reportToStderr;
  }

  /** Returns a function that removes the listener. */
  on<K extends GatewayEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const stored = listener as Listener<never>;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  /** True when someone listens, so callers can skip building an event nobody reads. */
  has(name: GatewayEventName): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }

  /**
   * Calls every listener synchronously. A listener that throws (or, being async, rejects) is
   * reported and the others still run: observers must never break the request path.
   */
  emit<K extends GatewayEventName>(name: K, event: GatewayEventMap[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set] as Array<Listener<K>>) {
      try {
        const result: unknown = listener(event);
        if (result instanceof Promise) {
          result.catch((error: unknown) => this.report(error, name));
        }
      } catch (error) {
        this.report(error, name);
      }
    }
  }

  private report(error: unknown, name: GatewayEventName): void {
    try {
      this.onListenerError(error, name);
    } catch {
      // The error reporter itself failed; there is nobody left to tell.
    }
  }
}
