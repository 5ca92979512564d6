// The embeddings endpoint of the OpenAI-shaped mocks (OpenAI, Azure's deployment and v1 paths,
// the local servers): `input` as a string, strings, token ids or arrays of them; `dimensions`;
// `encoding_format` float or base64; the flavour's faults and not-found answers.
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  delay,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { base64Float32, mockEmbedding, mockEmbeddingTokens } from './mock-embedding.ts';

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the OpenAI mock lends its embeddings endpoint. */
export interface OpenAIEmbeddingsMockContext {
  request: RecordedRequest;
  response: ServerResponse;
  mock: MockServer;
  /** The deployment from an Azure deployment path. */
  deployment: string | undefined;
  /** The models served, when the mock checks them. */
  models: readonly string[] | undefined;
  headers: Record<string, string>;
  send: (response: ServerResponse, answer: Answer, headers: Record<string, string>) => void;
  faultAnswer: (fault: MockFault) => Answer | undefined;
  modelNotFound: (model: string, deployment: boolean) => Answer;
  invalid: (message: string, param: string) => Answer;
}

const DEPLOYMENT_EMBEDDINGS = /^\/openai\/deployments\/([^/]+)\/embeddings$/;

/** The Azure deployment of an embeddings path, '' for the plain paths, undefined for other paths. */
export function openAIEmbeddingsPath(path: string): string | undefined {
  if (path === '/v1/embeddings' || path === '/openai/v1/embeddings') return '';
  const deployment = DEPLOYMENT_EMBEDDINGS.exec(path)?.[1];
  return deployment !== undefined ? decodeURIComponent(deployment) : undefined;
}

type Input = string | number[];

function inputsOf(input: unknown): Input[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input];
  const valid = input.every(
    (item) =>
      typeof item === 'string' ||
      (Array.isArray(item) && item.every((token) => typeof token === 'number')),
  );
  return valid ? input : undefined;
}

export async function serveOpenAIEmbeddings(context: OpenAIEmbeddingsMockContext): Promise<void> {
  const { request, response, mock, headers, send } = context;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const model = context.deployment || (typeof body.model === 'string' ? body.model : '');
  if (context.models && !context.models.includes(model))
    return send(response, context.modelNotFound(model, Boolean(context.deployment)), headers);
  const inputs = inputsOf(body.input);
  if (!inputs)
    return send(response, context.invalid("'input' is a required property", 'input'), headers);
  const fault = mock.takeFault();
  if (await applyTimingFault(fault, response)) return;
  await delay(mock.behaviour.latencyMs ?? 0);
  if (response.destroyed) return;
  const faultResponse = fault ? context.faultAnswer(fault) : undefined;
  if (faultResponse) return send(response, faultResponse, headers);
  if (fault?.kind === 'garbage') {
    response.writeHead(200, { 'content-type': 'application/json', ...headers });
    response.end('<html><body>502 Bad Gateway</body></html>');
    return;
  }
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : undefined;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = mockEmbedding(model, input, dimensions);
    return { object: 'embedding', index, embedding: base64 ? base64Float32(vector) : vector };
  });
  const tokens = inputs.reduce((sum, input) => sum + mockEmbeddingTokens(input), 0);
  send(
    response,
    {
      status: 200,
      body: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    },
    headers,
  );
}
