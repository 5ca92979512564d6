// Embeddings through the entry: the same admission as chat (the key, the routes it may use, its
// token limits counting the embedding tokens, its budget) and the same settling of spend and
// tokens once the request ended.
import type { Strategy } from '../config/config-schema.ts';
import type { AuthenticatedKey, KeyRing } from '../keys/key-ring.ts';
import type { RequestOutcome } from '../metrics/gateway-events.ts';
import type { Gateway } from '../service/gateway.ts';
import { estimateEmbeddingTokens, type EmbeddingRequest } from '../spec/embedding-request.ts';
import type { EmbeddingResponse } from '../spec/embedding-response.ts';
import type { RequestTrace } from '../trace/request-tracer.ts';
import type { ServedHeaders } from './chat-entry.ts';

export interface EmbeddingReply {
  status: number;
  headers: ServedHeaders;
  request: EmbeddingRequest;
  response: EmbeddingResponse;
}

export interface EmbeddingEntryParts {
  gateway: Gateway;
  keys: KeyRing;
  /** Charges a finished request's spend and tokens to its key. */
  settle: (outcome: Pick<RequestOutcome, 'costUsd' | 'inputTokens' | 'outputTokens'>) => void;
}

/** What the entry needs to know of the call besides the request (see `ChatCallDetails`). */
export interface EmbeddingCallDetails {
  requestId: string;
  startedAt: number;
  signal?: AbortSignal | undefined;
  pinnedProvider?: string | undefined;
  /** Already checked by the entry. */
  strategy?: Strategy | undefined;
  trace?: RequestTrace | undefined;
}

export async function embedThroughEntry(
  parts: EmbeddingEntryParts,
  key: AuthenticatedKey | undefined,
  request: EmbeddingRequest,
  details: EmbeddingCallDetails,
): Promise<EmbeddingReply> {
  const { gateway } = parts;
  const modelName = request.model ?? gateway.currentConfig.defaultRoute ?? 'default';
  const estimated = estimateEmbeddingTokens(request.inputs);
  if (key) parts.keys.admit(key, modelName, estimated, gateway.keyLimiter);
  // Multi-instance mode: the fleet-wide budget and limits, decided by the shared store.
  const charge = key
    ? await parts.keys.admitShared(key, estimated, gateway.keyLimiter)
    : () => undefined;
  const strategy = details.strategy ?? key?.strategy;
  let result;
  try {
    result = await gateway.embed(request, {
      requestId: details.requestId,
      startedAt: details.startedAt,
      signal: details.signal,
      ...(key ? { keyId: key.id } : {}),
      ...(strategy !== undefined ? { strategy } : {}),
      ...(details.pinnedProvider ? { pinnedProvider: details.pinnedProvider } : {}),
      trace: details.trace,
    });
    const outcome = await result.done;
    charge(outcome.costUsd ?? 0);
    parts.settle(outcome);
  } finally {
    charge(0);
  }
  const attempts = result.attempts.filter((attempt) => attempt.outcome !== 'skipped').length;
  const headers: ServedHeaders = {
    'x-request-id': result.requestId,
    'x-switchyard-provider': result.provider,
    'x-switchyard-attempts': String(attempts),
  };
  if (result.cache) headers['x-switchyard-cache'] = result.cache;
  return { status: 200, headers, request, response: result.output };
}
