// `POST /v1/messages/count_tokens`: counted by the first target whose vendor can count (its
// adapter's `countTokens`: Messages count_tokens natively, Gemini countTokens, Cohere tokenize),
// otherwise the gateway's own estimate (about four characters a token), marked
// `x-switchyard-token-count: estimate`.
import type { AuthenticatedKey } from '../../keys/key-ring.ts';
import { estimateInputTokens } from '../../routing/usage-estimate.ts';
import type { ChatRequest } from '../../spec/chat-request.ts';
import { GatewayError, isUpstreamError } from '../../spec/errors.ts';
import {
  jsonResponse,
  readJsonBody,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
} from '../../http/http-route.ts';
import { forwardedHeaders, messagesAuthorization } from './messages-auth.ts';
import { parseMessagesRequest } from './messages-schema.ts';
import { messagesToChat } from './messages-to-chat.ts';

export async function countTokens(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(messagesAuthorization(request));
  const { text, json } = await readJsonBody(request, call.maxBodyBytes);
  // count_tokens takes no max_tokens: the request schema's own check is satisfied here.
  const body = parseMessagesRequest({ max_tokens: 1, ...(json as object) });
  checkAllowed(key, body.model);
  const { request: chat } = messagesToChat(body);
  const native = {
    dialect: 'messages' as const,
    body: text,
    headers: forwardedHeaders(request),
  };
  const counted = await vendorCount(call, chat, {
    requestId: call.requestId,
    startedAt: call.startedAt,
    signal: request.signal,
    native,
    trace: call.trace,
  });
  if (counted) {
    const response = jsonResponse(200, { input_tokens: counted.inputTokens }, call.requestId);
    if (response.kind === 'body') response.headers['x-switchyard-provider'] = counted.provider;
    return response;
  }
  const response = jsonResponse(200, { input_tokens: estimateInputTokens(chat) }, call.requestId);
  if (response.kind === 'body') response.headers['x-switchyard-token-count'] = 'estimate';
  return response;
}

/** The vendor's count; a vendor failure leaves the estimate (counting is advisory). */
async function vendorCount(
  call: HttpCall,
  chat: ChatRequest,
  context: Parameters<HttpCall['gateway']['countTokens']>[1],
): Promise<{ inputTokens: number; provider: string } | undefined> {
  try {
    return await call.gateway.countTokens(chat, context);
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
  });
}
