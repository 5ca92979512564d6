// `GET /v1/models/{id}`: one model name a key may use (a route or a public model name) in
// OpenAI's model shape; a 404 in the OpenAI envelope for an unknown or not-allowed id.
import { GatewayError } from '../spec/errors.ts';
import {
  jsonResponse,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
} from './http-route.ts';

export function retrieveModel(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(request.header('authorization'));
  const id = call.params.id ?? '';
  if (!call.entry.models(key).includes(id))
    throw new GatewayError({
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: `The model '${id}' does not exist or you do not have access to it.`,
      param: 'model',
    });
  const created = Math.floor(call.gateway.clock.now() / 1000);
  const model = { id, object: 'model', created, owned_by: 'switchyard' };
  return Promise.resolve(jsonResponse(200, model, call.requestId));
}
