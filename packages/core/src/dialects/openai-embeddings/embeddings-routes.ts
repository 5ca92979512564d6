// `POST /v1/embeddings` in OpenAI's wire format, over every provider that embeds: the body
// validated, admitted and routed through the entry, the vectors rendered as floats or base64.
import { toOpenAIEmbeddingList } from '../../spec/embedding-response.ts';
import {
  JSON_HEADERS,
  readJsonBody,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
  type HttpRoute,
} from '../../http/http-route.ts';
import { parseEmbeddingsBody } from './embeddings-request.ts';

async function embeddings(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const { entry } = call;
  const key = entry.authenticate(request.header('authorization'));
  const { json } = await readJsonBody(request, call.maxBodyBytes);
  const { request: embeddingRequest, encoding } = parseEmbeddingsBody(json);
  const reply = await entry.embed(key, embeddingRequest, {
    requestId: call.requestId,
    startedAt: call.startedAt,
    signal: request.signal,
    trace: call.trace,
    strategy: request.header('x-switchyard-strategy') ?? undefined,
    pinnedProvider: request.header('x-switchyard-provider') ?? undefined,
  });
  return {
    kind: 'body',
    status: reply.status,
    headers: {
      ...JSON_HEADERS,
      ...reply.headers,
      ...(reply.response.usage.estimated ? { 'x-switchyard-usage': 'estimated' } : {}),
    },
    body: JSON.stringify(toOpenAIEmbeddingList(reply.response, encoding)),
  };
}

export const EMBEDDINGS_ROUTES: readonly HttpRoute[] = [
  { method: 'POST', path: '/v1/embeddings', handle: embeddings },
];
