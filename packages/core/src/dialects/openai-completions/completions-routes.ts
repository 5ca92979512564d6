// `POST /v1/completions` (legacy): passed through to targets that serve the Completions API,
// translated into one user message for chat-only providers; admitted, routed, limited, cached
// and logged through the entry like chat.
import { GatewayError, InvalidRequestError } from '../../spec/errors.ts';
import {
  JSON_HEADERS,
  readJsonBody,
  SSE_HEADERS,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
  type HttpRoute,
} from '../../http/http-route.ts';
import {
  parseCompletionsBody,
  promptText,
  toChatBody,
  untranslatableFields,
  type CompletionsBody,
} from './completions-request.ts';
import { CompletionsSseEncoder, toCompletionBody } from './completions-render.ts';

async function completions(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const { entry } = call;
  const key = entry.authenticate(request.header('authorization'));
  const { text, json } = await readJsonBody(request, call.maxBodyBytes);
  const body = parseCompletionsBody(json);
  const admitted = entry.admit(key, toChatBody(body), {
    requestId: call.requestId,
    startedAt: call.startedAt,
    signal: request.signal,
    trace: call.trace,
    strategy: request.header('x-switchyard-strategy') ?? undefined,
    pinnedProvider: request.header('x-switchyard-provider') ?? undefined,
    native: { dialect: 'openai-completions', body: text, headers: {} },
    dialect: 'completions',
  });
  const reply = await entry.call(admitted).catch((error: unknown) => {
    throw renamedRefusal(error, body);
  });
  const echo = body.echo === true ? promptText(body) : undefined;
  if ('response' in reply)
    return {
      kind: 'body',
      status: reply.status,
      headers: { ...JSON_HEADERS, ...reply.headers },
      body: toCompletionBody(reply.response, reply.response.native ? undefined : echo),
    };
  const id = `cmpl-${reply.headers['x-request-id'] ?? call.requestId}`;
  const includeUsage = body.stream_options?.include_usage === true;
  return {
    kind: 'sse',
    status: reply.status,
    headers: { ...SSE_HEADERS, ...reply.headers },
    events: reply.events,
    encoder: new CompletionsSseEncoder({ includeUsage, id, model: reply.model, echo }),
  };
}

/**
 * Chat-only targets refuse what they cannot honour as `logprobs` (see `toChatBody`); the client
 * is told which of its own fields it was.
 */
function renamedRefusal(error: unknown, body: CompletionsBody): unknown {
  const fields = untranslatableFields(body);
  const [field] = fields;
  if (!(error instanceof GatewayError) || field === undefined) return error;
  if (error.code !== 'unsupported_parameter' || error.param !== 'logprobs') return error;
  const refusal = new InvalidRequestError(
    `"${field}" cannot be honoured: no provider for this model serves the Completions API, and a chat model has no ${field}`,
    field,
    'unsupported_parameter',
  );
  refusal.attempts.push(...error.attempts);
  return refusal;
}

export const COMPLETIONS_ROUTES: readonly HttpRoute[] = [
  { method: 'POST', path: '/v1/completions', handle: completions },
];
