// The model list in Anthropic's shape (`GET /v1/models` and `/v1/models/:id` when the request
// carries `anthropic-version`): the names a key may send, routes and public model names.
import { clientText, GatewayError } from '../../spec/errors.ts';
import {
  jsonResponse,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
  type HttpRoute,
} from '../../http/http-route.ts';
import { messagesAuthorization } from './messages-auth.ts';
import { messagesErrorResponse } from './messages-error.ts';

export interface MessagesModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface MessagesModelPage {
  data: MessagesModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** True when the request speaks the Anthropic API (its SDKs always send `anthropic-version`). */
export function isMessagesRequest(request: GatewayHttpRequest): boolean {
  return Boolean(request.header('anthropic-version'));
}

function modelInfo(id: string, createdAt: string): MessagesModelInfo {
  return { type: 'model', id, display_name: id, created_at: createdAt };
}

export function toMessagesModelPage(
  names: readonly string[],
  createdAt: string,
): MessagesModelPage {
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
export function messagesModelList(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const page = toMessagesModelPage(modelNames(request, call), createdAt(call));
  return Promise.resolve(jsonResponse(200, page, call.requestId));
}

/** `GET /v1/models/:id` in Anthropic's shape; a 404 for a name the key may not send. */
export function messagesModel(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const id = call.params.id ?? '';
  if (!modelNames(request, call).includes(id))
    throw new GatewayError({
      status: 404,
      type: 'not_found_error',
      code: 'model_not_found',
      message: `model: ${clientText(id)}`,
    });
  return Promise.resolve(jsonResponse(200, modelInfo(id, createdAt(call)), call.requestId));
}

/**
 * A models route shared with the OpenAI shape: a caller speaking the Anthropic API gets
 * `messages`, in Anthropic's shape and error envelope; every other caller gets `openai`.
 */
export function messagesAware(
  openai: HttpRoute['handle'],
  messages: HttpRoute['handle'],
): HttpRoute['handle'] {
  return async (request, call) => {
    if (!isMessagesRequest(request)) return await openai(request, call);
    try {
      return await messages(request, call);
    } catch (error) {
      return messagesErrorResponse(error, call.requestId);
    }
  };
}
