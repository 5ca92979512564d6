// The contract every vendor adapter implements. Core calls adapters only through this.
import type { ModelKind } from '../config/config-schema.ts';
import type { ChatRequest } from './chat-request.ts';
import type { ChatResponse } from './chat-response.ts';
import type { EmbeddingCall } from './embedding-request.ts';
import type { EmbeddingResponse } from './embedding-response.ts';
import type { NativeRequest } from './native-dialect.ts';
import type { ProviderRegistry } from './provider-definition.ts';
import type { StreamEvent } from './stream-events.ts';

export interface CallOptions {
  /** Aborted when the client goes away or the router gives up on this attempt. */
  signal: AbortSignal;
  /** Absolute time (epoch ms) by which the whole call must have finished. */
  deadline: number;
}

export interface StreamCallOptions extends CallOptions {
  /** Absolute time (epoch ms) by which the first output token must have arrived. */
  firstTokenDeadline?: number;
}

export interface AdapterCall<O extends CallOptions = CallOptions> {
  request: ChatRequest;
  /** The vendor's model id (or deployment name), resolved by the router. */
  model: string;
  options: O;
  /**
   * The client's own body when it spoke a dialect other than chat. An adapter that speaks that
   * dialect natively for `model` forwards it (`withModel`) and answers with `ChatResponse.native`
   * or `native` stream events; every other adapter serves `request` and ignores this.
   */
  native?: NativeRequest | undefined;
}

export interface ProbeResult {
  latencyMs: number;
  /** What was checked, e.g. `GET /v1/models`. */
  check: string;
  status?: number;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  contextWindow?: number;
  /** Set when the vendor's listing says what the model does (chat or embeddings). */
  kind?: ModelKind;
  /** Embedding models: the vectors' length, when the vendor's listing gives it. */
  dimensions?: number;
}

export interface ProviderAdapter {
  readonly providerId: string;
  readonly type: string;
  /** Warnings about parameters this vendor ignores, computed per request; empty when all are supported. */
  complete(call: AdapterCall): Promise<ChatResponse>;
  /**
   * Starts a stream. The promise settles once the upstream accepted the request (status and
   * headers received), so errors before the stream starts reject it and the router can retry
   * elsewhere. Errors after that arrive as an `error` event or a rejected iteration.
   */
  stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>>;
  /** A cheap liveness check (never a token-burning completion unless configured). Rejects with an UpstreamError. */
  probe(options: CallOptions): Promise<ProbeResult>;
  listModels(options: CallOptions): Promise<ModelInfo[]>;
  /**
   * The input tokens of `call.native` by the vendor's own counter (e.g. Messages `count_tokens`);
   * undefined when the vendor has none for this body and model.
   */
  countTokens?(call: AdapterCall): Promise<number | undefined>;
  /** Embeds the inputs in order; absent when the vendor has no embeddings API. Rejects with an UpstreamError. */
  embed?(call: EmbeddingCall): Promise<EmbeddingResponse>;
  /** Releases pooled connections. */
  close?(): Promise<void>;
}

/** Kept for existing callers: the adapters an application can build are its provider definitions. */
export type AdapterRegistry = ProviderRegistry;
