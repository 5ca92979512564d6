// Embeddings through the router: the plan a request takes, the attempt at one target, and the
// rule that keeps a request in one vector space — after the first target in plan order, only
// targets declared equivalent to it (same space, same dimensions) may be tried, so a different
// model is never substituted silently.
import type { ChatRequest } from '../spec/chat-request.ts';
import { estimateEmbeddingTokens, type EmbeddingRequest } from '../spec/embedding-request.ts';
import type { EmbeddingResponse } from '../spec/embedding-response.ts';
import { GatewayError, InvalidRequestError, UpstreamError } from '../spec/errors.ts';
import type { ProviderAdapter } from '../spec/provider-adapter.ts';
import { skipOf, type CandidateEstimate, type Skip, type TargetScreen } from './candidates.ts';
import type { AttemptFunction, RouteTrace } from './route-types.ts';
import type { Target } from './routing-table.ts';

export type { TargetScreen } from './candidates.ts';

export interface RoutedEmbedding {
  response: EmbeddingResponse;
  trace: RouteTrace;
  target: Target;
}

/** What plan resolution reads of a request (its model name), for an embeddings request. */
export function embeddingPlanRequest(request: EmbeddingRequest): ChatRequest {
  return { model: request.model, messages: [] };
}

export function embeddingEstimate(request: EmbeddingRequest): CandidateEstimate {
  return { inputTokens: estimateEmbeddingTokens(request.inputs), outputTokens: 0 };
}

/** One embeddings call at a target. */
export function embedAttempt(request: EmbeddingRequest): AttemptFunction<EmbeddingResponse> {
  return async (adapter, target, options) => {
    if (!adapter.embed)
      throw new UpstreamError({
        kind: 'unsupported_parameter',
        message: `provider type ${target.provider.type} has no embeddings API`,
        provider: target.provider.id,
      });
    const response = await adapter.embed({ request, model: target.model, options });
    checkAnswer(request, response, target);
    return response;
  };
}

/** One vector per input, each of the asked length: anything else is not an answer to the request. */
function checkAnswer(request: EmbeddingRequest, response: EmbeddingResponse, target: Target): void {
  const provider = target.provider.id;
  if (response.embeddings.length !== request.inputs.length)
    throw new UpstreamError({
      kind: 'protocol',
      message: `returned ${response.embeddings.length} vectors for ${request.inputs.length} inputs`,
      provider,
    });
  const wanted = request.dimensions;
  const wrong = response.embeddings.find(
    (vector) => wanted !== undefined && vector.length !== wanted,
  );
  if (wrong)
    throw new UpstreamError({
      kind: 'unsupported_parameter',
      message: `returned ${wrong.length} dimensions where ${wanted} were asked`,
      provider,
      param: 'dimensions',
    });
}

/** The vector space a target writes into: its declared space (else its vendor model) and dimensions. */
export function vectorSpaceOf(target: Target): { space: string; dimensions: number | undefined } {
  return {
    space: target.modelConfig?.space ?? target.model,
    dimensions: target.modelConfig?.dimensions,
  };
}

export function describeSpace(target: Target): string {
  const { space, dimensions } = vectorSpaceOf(target);
  return dimensions === undefined
    ? `space "${space}"`
    : `space "${space}", ${dimensions} dimensions`;
}

export function equivalentTargets(a: Target, b: Target): boolean {
  const left = vectorSpaceOf(a);
  const right = vectorSpaceOf(b);
  return left.space === right.space && left.dimensions === right.dimensions;
}

/** Why a target cannot embed at all, or undefined when it can. */
function cannotEmbed(target: Target, adapter: ProviderAdapter | undefined): string | undefined {
  if (target.modelConfig?.kind === 'chat' || (target.modelConfig && !target.modelConfig.kind))
    return `${target.provider.id}/${target.model} is a chat model, not an embedding model`;
  if (adapter && !adapter.embed)
    return `provider type ${target.provider.type} has no embeddings API`;
  return undefined;
}

/**
 * The one-vector-space rule for a request: the first target seen anchors the space, later ones
 * must be equivalent to it. Refusals are remembered so the final error can say why.
 */
export class VectorSpaceGuard implements TargetScreen {
  private anchor: Target | undefined;
  private readonly notEmbedding: string[] = [];
  private readonly otherSpaces: Target[] = [];

  constructor(private readonly planName: string) {}

  screen = (target: Target, adapter: ProviderAdapter | undefined): Skip | undefined => {
    const reason = cannotEmbed(target, adapter);
    if (reason !== undefined) {
      this.notEmbedding.push(reason);
      return skipOf(target, 'unsupported_parameter', reason);
    }
    if (!this.anchor) {
      this.anchor = target;
      return undefined;
    }
    if (equivalentTargets(this.anchor, target)) return undefined;
    this.otherSpaces.push(target);
    return skipOf(
      target,
      'unsupported_parameter',
      `not equivalent to ${this.anchor.provider.id}/${this.anchor.model} (${describeSpace(target)} vs ${describeSpace(this.anchor)})`,
    );
  };

  accepts(target: Target, adapter: ProviderAdapter | undefined): boolean {
    if (cannotEmbed(target, adapter) !== undefined) return false;
    return !this.anchor || equivalentTargets(this.anchor, target);
  }

  /** The run's final error, told in terms of vector spaces when that is why nothing answered. */
  explain(error: unknown): unknown {
    if (!(error instanceof GatewayError) || (error.status !== 502 && error.status !== 503))
      return error;
    const anchor = this.anchor;
    if (!anchor && this.notEmbedding.length > 0)
      return new InvalidRequestError(
        `The model "${this.planName}" cannot embed: ${this.notEmbedding.join('; ')}`,
        'model',
        'model_not_embedding',
      );
    if (!anchor || this.otherSpaces.length === 0) return error;
    return this.refusedFallback(error, anchor);
  }

  private refusedFallback(error: GatewayError, anchor: Target): GatewayError {
    const refused = this.otherSpaces
      .map((target) => `${target.provider.id}/${target.model} (${describeSpace(target)})`)
      .join(', ');
    return new GatewayError({
      status: 502,
      type: 'upstream_error',
      code: 'no_equivalent_fallback',
      message:
        `Embeddings on "${this.planName}" failed at ${anchor.provider.id}/${anchor.model} (${describeSpace(anchor)}): ${error.message}. ` +
        `Fallback refused to ${refused}: not equivalent, and fallback never mixes vector spaces`,
      attempts: error.attempts,
      cause: error,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    });
  }
}
