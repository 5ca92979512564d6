// Cohere's v2 embed endpoint on the Cohere mock: `POST /v2/embed` with `texts`, `input_type`
// (required for v3+ models), `embedding_types` and `output_dimension`; at most 96 texts a call,
// billed input tokens in `meta`.
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  delay,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { base64Float32, mockEmbedding, mockEmbeddingTokens } from './mock-embedding.ts';

/** Cohere's limit of texts in one embed call. */
export const COHERE_EMBED_BATCH_LIMIT = 96;

const INPUT_TYPES = new Set(['search_document', 'search_query', 'classification', 'clustering']);

export interface CohereEmbeddingsMockContext {
  request: RecordedRequest;
  response: ServerResponse;
  mock: MockServer;
  models: readonly string[] | undefined;
  sendFault: (fault: MockFault | undefined) => boolean;
  sendError: (response: ServerResponse, status: number, message: string) => void;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a body is not a valid embed request, or undefined when it is. */
function invalidEmbed(body: JsonObject): string | undefined {
  if (typeof body.model !== 'string') return 'invalid request: model must be specified';
  const texts = body.texts;
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === 'string'))
    return 'invalid request: texts must be a non-empty list of strings';
  if (texts.length > COHERE_EMBED_BATCH_LIMIT)
    return `invalid request: texts must contain at most ${COHERE_EMBED_BATCH_LIMIT} items`;
  if (typeof body.input_type !== 'string' || !INPUT_TYPES.has(body.input_type))
    return 'invalid request: input_type must be specified for embed models v3 and higher';
  return undefined;
}

export async function serveCohereEmbeddings(context: CohereEmbeddingsMockContext): Promise<void> {
  const { request, response, mock, sendError } = context;
  const fault = mock.takeFault();
  if (await applyTimingFault(fault, response)) return;
  await delay(mock.behaviour.latencyMs ?? 0);
  if (context.sendFault(fault)) return;
  const body = isObject(request.body) ? request.body : {};
  const invalid = invalidEmbed(body);
  if (invalid) return sendError(response, 400, invalid);
  const model = body.model as string;
  if (context.models && !context.models.includes(model))
    return sendError(response, 404, `model '${model}' not found`);
  const texts = body.texts as string[];
  const dimensions = typeof body.output_dimension === 'number' ? body.output_dimension : undefined;
  const types = Array.isArray(body.embedding_types) ? body.embedding_types : ['float'];
  const vectors = texts.map((text) => mockEmbedding(model, text, dimensions));
  const embeddings: JsonObject = {};
  if (types.includes('float')) embeddings.float = vectors;
  if (types.includes('base64')) embeddings.base64 = vectors.map(base64Float32);
  const tokens = texts.reduce((sum, text) => sum + mockEmbeddingTokens(text), 0);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: `mock-embed-${mock.requests.length}`,
      embeddings,
      texts,
      meta: { api_version: { version: '2' }, billed_units: { input_tokens: tokens } },
      // Cohere's OpenAPI document lists a top-level `api_version` as required for this answer.
      api_version: { version: '2' },
      response_type: 'embeddings_by_type',
    }),
  );
}
