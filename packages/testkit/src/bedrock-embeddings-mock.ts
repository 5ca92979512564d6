// Bedrock's InvokeModel for embedding models on the Bedrock mock: Titan Text Embeddings v2
// (`inputText`, one text a call, `dimensions` 256 | 512 | 1024, `inputTextTokenCount`) and
// Cohere Embed (`texts`, at most 96, `input_type` required; the token count in the
// `X-Amzn-Bedrock-Input-Token-Count` header).
import type { MockFault, MockServer, RecordedRequest } from './mock-server.ts';
import { delay } from './mock-server.ts';
import { mockEmbedding, mockEmbeddingTokens } from './mock-embedding.ts';

const INVOKE_PATH = /^\/model\/([^/]+)\/invoke$/;
const TITAN_DIMENSIONS = new Set([256, 512, 1024]);
const COHERE_INPUT_TYPES = new Set([
  'search_document',
  'search_query',
  'classification',
  'clustering',
]);
/** Cohere Embed's limit of texts per call. */
export const BEDROCK_COHERE_EMBED_BATCH_LIMIT = 96;

/** The answer channel the Bedrock mock lends (HTTP/1.1 or HTTP/2). */
export interface BedrockInvokeReply {
  head(status: number, headers: Record<string, string>): void;
  end(data?: string): void;
  closed(): Promise<void>;
}

export interface BedrockInvokeContext {
  request: RecordedRequest;
  reply: BedrockInvokeReply;
  mock: MockServer;
  requestId: string;
  sendFault: (fault: MockFault) => boolean;
  sendError: (status: number, errorType: string, message: string) => void;
}

/** The model id of an InvokeModel path, or undefined for other paths. */
export function bedrockInvokeModel(path: string): string | undefined {
  const encoded = INVOKE_PATH.exec(path)?.[1];
  return encoded === undefined ? undefined : decodeURIComponent(encoded);
}

type Body = Record<string, unknown>;

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Answer {
  body: unknown;
  tokens: number;
}

function titan(model: string, body: Body): Answer | string {
  if (typeof body.inputText !== 'string' || body.inputText.length === 0)
    return 'Malformed input request: #: required key [inputText] not found';
  const dimensions = body.dimensions ?? 1024;
  if (typeof dimensions !== 'number' || !TITAN_DIMENSIONS.has(dimensions))
    return `Malformed input request: #/dimensions: ${JSON.stringify(dimensions)} is not a valid enum value`;
  const tokens = mockEmbeddingTokens(body.inputText);
  const embedding = mockEmbedding(model, body.inputText, dimensions);
  return { body: { embedding, inputTextTokenCount: tokens }, tokens };
}

function cohere(model: string, body: Body): Answer | string {
  const texts = body.texts;
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === 'string'))
    return 'Malformed input request: #: required key [texts] not found';
  if (texts.length > BEDROCK_COHERE_EMBED_BATCH_LIMIT)
    return `Malformed input request: #/texts: expected maxItems: ${BEDROCK_COHERE_EMBED_BATCH_LIMIT}, actual: ${texts.length}`;
  if (typeof body.input_type !== 'string' || !COHERE_INPUT_TYPES.has(body.input_type))
    return 'Malformed input request: #: required key [input_type] not found';
  const dimensions = typeof body.output_dimension === 'number' ? body.output_dimension : undefined;
  const vectors = texts.map((text: string) => mockEmbedding(model, text, dimensions));
  const byType = Array.isArray(body.embedding_types);
  const tokens = texts.reduce((sum: number, text: string) => sum + mockEmbeddingTokens(text), 0);
  return {
    body: {
      id: `mock-${model}`,
      texts,
      embeddings: byType ? { float: vectors } : vectors,
      response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
    },
    tokens,
  };
}

function answerFor(model: string, body: Body): Answer | string {
  if (model.includes('amazon.titan-embed-text')) return titan(model, body);
  if (model.includes('cohere.embed')) return cohere(model, body);
  return `The provided model identifier is invalid: ${model} is not an embedding model of this mock`;
}

export async function serveBedrockInvoke(
  context: BedrockInvokeContext,
  model: string,
): Promise<void> {
  const { mock, reply } = context;
  const fault = mock.takeFault();
  if (fault?.kind === 'hang') return await reply.closed();
  if (fault?.kind === 'slow-headers') await delay(fault.delayMs);
  await delay(mock.behaviour.latencyMs ?? 0);
  if (fault && context.sendFault(fault)) return;
  const body = context.request.body;
  const answer = isRecord(body) ? answerFor(model, body) : 'Malformed input request: not JSON';
  if (typeof answer === 'string') return context.sendError(400, 'ValidationException', answer);
  reply.head(200, {
    'content-type': 'application/json',
    'x-amzn-requestid': context.requestId,
    'x-amzn-bedrock-input-token-count': String(answer.tokens),
  });
  reply.end(JSON.stringify(answer.body));
}
