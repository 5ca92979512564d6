// The model list in Anthropic's shape (`GET /v1/models` and `/v1/models/:id` when the request
// carries `anthropic-version`): the names a key may send, routes and public model names.
import { GatewayError } from '../../spec/errors.ts';
import {
  jsonResponse,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
} from '../../http/http-route.ts';
import { messagesAuthorization } from './messages-auth.ts';

export interface AnthropicModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface AnthropicModelPage {
  data: AnthropicModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** True when the request speaks the Anthropic API (its SDKs always send `anthropic-version`). */
export function isAnthropicRequest(request: GatewayHttpRequest): boolean {
  return Boolean(request.header('anthropic-version'));
}

function modelInfo(id: string, createdAt: string): AnthropicModelInfo {
  return { type: 'model', id, display_name: id, created_at: createdAt };
}

export function toAnthropicModelPage(
  names: readonly string[],
  createdAt: string,
): AnthropicModelPage {
  return {
    data: names.map((id) => modelInfo(id, createdAt)),
    has_more: false,
    first_id: names[0] ?? null,
    last_id: names[names.length - 1] ?? null,
  };
}

function modelNames(request: GatewayHttpRequest, call: HttpCall): string[] {
  return call.entry.models(call.entry.authenticate(messagesAuthorization(request)));
}

function createdAt(call: HttpCall): string {
  return new Date(call.gateway.clock.now()).toISOString();
}

/** `GET /v1/models` in Anthropic's shape. */
export function anthropicModelList(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const page = toAnthropicModelPage(modelNames(request, call), createdAt(call));
  return Promise.resolve(jsonResponse(200, page, call.requestId));
}

/** `GET /v1/models/:id` in Anthropic's shape; a 404 for a name the key may not send. */
export function anthropicModel(
  request: GatewayHttpRequest,
  call: HttpCall,
  id: string,
): Promise<GatewayHttpResponse> {
  if (!modelNames(request, call).includes(id))
    throw new GatewayError({
      status: 404,
      type: 'not_found_error',
      code: 'model_not_found',
      message: `model: ${id}`,
    });
  return Promise.resolve(jsonResponse(200, modelInfo(id, createdAt(call)), call.requestId));
}
