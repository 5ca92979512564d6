// The shapes the router is called with and answers with; the gateway and the tests build on them.
import type { Strategy } from '../config/config-schema.ts';
import type { ChatResponse, Usage } from '../spec/chat-response.ts';
import type { AttemptRecord, UpstreamError } from '../spec/errors.ts';
import type { CallOptions, ProviderAdapter } from '../spec/provider-adapter.ts';
import type { NativeRequest } from '../spec/native-dialect.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import type { CircuitBreakers, HealthMonitor } from '../resilience/index.ts';
import type { ProviderLimiter } from '../limits/index.ts';
import type { GatewayEvents, GatewayMetrics } from '../metrics/index.ts';
import type { StateStore } from '../state/state-store.ts';
import type { Clock } from '../util/clock.ts';
import type { RandomSource } from '../util/random.ts';
import type { RequestTrace } from '../trace/request-tracer.ts';
import type { DefaultProviderMode, RoutePlan, Target } from './routing-table.ts';

export interface RouterDependencies {
  adapters: ReadonlyMap<string, ProviderAdapter>;
  circuits: CircuitBreakers;
  health: HealthMonitor;
  limiter: ProviderLimiter;
  events: GatewayEvents;
  metrics?: GatewayMetrics | undefined;
  clock: Clock;
  random: RandomSource;
  /** Where Retry-After cool-downs are shared with other instances (multi-instance mode). */
  store?: StateStore | undefined;
  /** Whether a target continues an answer from an assistant prefill (its model's or its type's word). */
  acceptsPrefill?: ((target: Target) => boolean) | undefined;
}

export interface RouteOptions {
  requestId: string;
  /** Aborted when the client goes away. */
  signal?: AbortSignal | undefined;
  /** Overrides the route's strategy (`x-switchyard-strategy`, or the key's). */
  strategy?: Strategy | undefined;
  /** Sends the request to this provider only (`x-switchyard-provider`). */
  pinnedProvider?: string | undefined;
  /** The seed's default-provider switch, for requests that name no model. */
  defaultProvider?: DefaultProviderMode | undefined;
  autoFallback?: boolean | undefined;
  /** When the request arrived (epoch ms); deadlines count from here. */
  startedAt?: number | undefined;
  /** The client's body, for targets that speak its dialect natively. */
  native?: NativeRequest | undefined;
  /** The request's trace, when a tracer is set: each attempt becomes a span in it. */
  trace?: RequestTrace | undefined;
}

/** Everything the caller needs to report on a routed request. */
export interface RouteTrace {
  plan: RoutePlan;
  attempts: AttemptRecord[];
  /** The target that answered, once one did. */
  target?: Target;
}

export interface RoutedCompletion {
  response: ChatResponse;
  trace: RouteTrace;
  target: Target;
}

export interface StreamSummary {
  usage?: Usage;
  /** Set when the stream ended with an error after the first token. */
  error?: UpstreamError;
  firstTokenAt?: number;
}

export interface RoutedStream {
  trace: RouteTrace;
  target: Target;
  /** When the first output token arrived (epoch ms); undefined for an empty answer. */
  firstTokenAt: number | undefined;
  /** The events for the client: buffered ones first, then the rest of the upstream stream. */
  events: AsyncIterable<StreamEvent>;
  /** Settles when the stream has been fully consumed (or abandoned). Never rejects. */
  done: Promise<StreamSummary>;
}

/** One call to a provider: a completion, or a stream up to its first token. */
export type AttemptFunction<T> = (
  adapter: ProviderAdapter,
  target: Target,
  options: CallOptions,
  abort: (reason: unknown) => void,
) => Promise<T>;
