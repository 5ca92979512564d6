// Gemini's embeddings endpoints on the Gemini mock: `models/{model}:embedContent` (one content)
// and `:batchEmbedContents` (at most 100 requests per call, as the API allows), with
// `outputDimensionality`. Gemini reports no token usage for embeddings.
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  delay,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { mockEmbedding } from './mock-embedding.ts';

/** Gemini's limit of requests in one batchEmbedContents call. */
export const GEMINI_EMBED_BATCH_LIMIT = 100;

const EMBED_CALL = /^\/v1beta\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;

export interface GeminiEmbeddingsMockContext {
  request: RecordedRequest;
  response: ServerResponse;
  mock: MockServer;
  /** The models served, when the mock checks them. */
  models: readonly string[] | undefined;
  sendFault: (fault: MockFault | undefined, model: string) => boolean;
  sendError: (response: ServerResponse, code: number, message: string) => void;
}

/** The model and method of an embeddings path, or undefined for other paths. */
export function geminiEmbeddingsCall(path: string): { model: string; batch: boolean } | undefined {
  const match = EMBED_CALL.exec(path);
  return match ? { model: match[1] ?? '', batch: match[2] === 'batchEmbedContents' } : undefined;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a Content (`{parts: [{text}]}`), or undefined when it has none. */
function contentText(content: unknown): string | undefined {
  if (!isObject(content) || !Array.isArray(content.parts)) return undefined;
  const texts = content.parts.map((part) =>
    isObject(part) && typeof part.text === 'string' ? part.text : '',
  );
  const text = texts.join('');
  return text.length > 0 ? text : undefined;
}

function embedOne(model: string, request: unknown): { values: number[] } | string {
  if (!isObject(request)) return 'request is not an object';
  const text = contentText(request.content);
  if (text === undefined) return '* EmbedContentRequest.content: contents is not specified';
  const dimensions =
    typeof request.outputDimensionality === 'number' ? request.outputDimensionality : undefined;
  return { values: mockEmbedding(model, text, dimensions) };
}

export async function serveGeminiEmbeddings(
  context: GeminiEmbeddingsMockContext,
  call: { model: string; batch: boolean },
): Promise<void> {
  const { request, response, mock, sendError } = context;
  const fault = mock.takeFault();
  if (await applyTimingFault(fault, response)) return;
  await delay(mock.behaviour.latencyMs ?? 0);
  if (context.sendFault(fault, call.model)) return;
  if (context.models && !context.models.includes(call.model))
    return sendError(response, 404, `models/${call.model} is not found for API version v1beta`);
  const body = request.body;
  const requests = call.batch ? (isObject(body) ? body.requests : undefined) : [body];
  if (!Array.isArray(requests) || requests.length === 0)
    return sendError(response, 400, '* BatchEmbedContentsRequest.requests: is required');
  if (requests.length > GEMINI_EMBED_BATCH_LIMIT)
    return sendError(
      response,
      400,
      `* BatchEmbedContentsRequest.requests: at most ${GEMINI_EMBED_BATCH_LIMIT} requests can be in one batch`,
    );
  const embeddings = requests.map((item) => embedOne(call.model, item));
  const invalid = embeddings.find((item) => typeof item === 'string');
  if (typeof invalid === 'string') return sendError(response, 400, invalid);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(call.batch ? { embeddings } : { embedding: embeddings[0] }));
}
