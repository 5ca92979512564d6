// `POST /v1/messages/count_tokens`: the prompt's size as the gateway estimates it (about four
// characters a token), marked as an estimate in `x-switchyard-token-count`.
import { estimateInputTokens } from '../../routing/usage-estimate.ts';
import {
  jsonResponse,
  readJsonBody,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
} from '../../http/http-route.ts';
import { messagesAuthorization } from './messages-auth.ts';
import { parseMessagesRequest } from './messages-schema.ts';
import { messagesToChat } from './messages-to-chat.ts';

export async function countTokens(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  call.entry.authenticate(messagesAuthorization(request));
  const { json } = await readJsonBody(request, call.maxBodyBytes);
  // count_tokens takes no max_tokens: the request schema's own check is satisfied here.
  const body = parseMessagesRequest({ max_tokens: 1, ...(json as object) });
  const { request: chat } = messagesToChat(body);
  const response = jsonResponse(200, { input_tokens: estimateInputTokens(chat) }, call.requestId);
  if (response.kind === 'body') response.headers['x-switchyard-token-count'] = 'estimate';
  return response;
}
