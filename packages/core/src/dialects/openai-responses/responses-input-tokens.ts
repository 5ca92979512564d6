// `POST /v1/responses/input_tokens` (OpenAI's input token count): the first target that can count
// does — OpenAI and Azure natively with the client's own body, others on the translated request
// (Anthropic count_tokens, Gemini countTokens, Cohere tokenize) — else the gateway's estimate,
// marked `x-switchyard-token-count: estimate`.
import type { HttpCall, GatewayHttpResponse } from '../../http/http-route.ts';
import { jsonResponse } from '../../http/http-route.ts';
import type { AuthenticatedKey } from '../../keys/key-ring.ts';
import { estimateInputTokens } from '../../routing/usage-estimate.ts';
import type { ChatRequest } from '../../spec/chat-request.ts';
import { GatewayError, isUpstreamError } from '../../spec/errors.ts';
import type { NativeRequest } from '../../spec/native-dialect.ts';

export interface CountedTurn {
  chat: ChatRequest;
  native: NativeRequest | undefined;
  signal: AbortSignal;
}

export async function countInputTokens(
  call: HttpCall,
  key: AuthenticatedKey | undefined,
  turn: CountedTurn,
): Promise<GatewayHttpResponse> {
  const model = turn.chat.model ?? call.gateway.currentConfig.defaultRoute ?? 'default';
  checkAllowed(key, model);
  const counted = await vendorCount(call, turn);
  const inputTokens = counted?.inputTokens ?? estimateInputTokens(turn.chat);
  const response = jsonResponse(
    200,
    { object: 'response.input_tokens', input_tokens: inputTokens },
    call.requestId,
  );
  if (response.kind === 'body') {
    if (counted) response.headers['x-switchyard-provider'] = counted.provider;
    else response.headers['x-switchyard-token-count'] = 'estimate';
  }
  return response;
}

/** The vendor's count; a vendor failure leaves the estimate (counting is advisory). */
async function vendorCount(
  call: HttpCall,
  turn: CountedTurn,
): Promise<{ inputTokens: number; provider: string } | undefined> {
  try {
    return await call.gateway.countTokens(turn.chat, {
      requestId: call.requestId,
      startedAt: call.startedAt,
      signal: turn.signal,
      native: turn.native,
      trace: call.trace,
    });
  } catch (error) {
    if (isUpstreamError(error)) return undefined;
    throw error;
  }
}

function checkAllowed(key: AuthenticatedKey | undefined, model: string): void {
  if (!key || key.allowedRoutes.size === 0 || key.allowedRoutes.has(model)) return;
  throw new GatewayError({
    status: 403,
    type: 'permission_error',
    code: 'model_not_allowed',
    message: `This key may not use model "${model}"`,
    param: 'model',
  });
}
