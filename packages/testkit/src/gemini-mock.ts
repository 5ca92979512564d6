// A mock of the Gemini API (v1beta): generateContent, streamGenerateContent (SSE with
// `alt=sse`, a JSON array without it), countTokens (the prompt counted as generateContent counts
// it), the models list, Google RPC error bodies with
// ErrorInfo / QuotaFailure / RetryInfo details, and safety blocks of the prompt or the output.
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  countTokens,
  delay,
  lastUserText,
  splitIntoChunks,
  startMockServer,
  type MockBehaviour,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { mockToolCall, type MockToolChoice } from './mock-tools.ts';
import { geminiEmbeddingsCall, serveGeminiEmbeddings } from './gemini-embeddings-mock.ts';

export interface GeminiMockOptions {
  /** When set, requests must carry it in `x-goog-api-key` (or `?key=`). */
  apiKey?: string;
  behaviour?: MockBehaviour;
  port?: number;
  /** Models listed by `GET /v1beta/models`; when given, other models answer 404 NOT_FOUND. */
  models?: string[];
  /** Answer every prompt with `promptFeedback.blockReason: SAFETY` and no candidates. */
  blockPrompt?: boolean;
  /** Answer with a candidate whose output was blocked (`finishReason: SAFETY`, no content). */
  blockOutput?: boolean;
}

export interface GeminiMock extends MockServer {
  /** Switch the safety blocks on and off between requests. */
  safety: { blockPrompt: boolean; blockOutput: boolean };
}

interface WirePart {
  text?: unknown;
  functionResponse?: unknown;
}

type WireContent = { role?: string; parts?: WirePart[] };

interface WireRequest {
  contents?: WireContent[];
  systemInstruction?: { parts?: WirePart[] };
  tools?: Array<{ functionDeclarations?: Array<{ name?: unknown }> }>;
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  generationConfig?: { candidateCount?: number; thinkingConfig?: { includeThoughts?: boolean } };
}

interface Answer {
  parts: Array<Record<string, unknown>>;
  /** The text streamed in pieces; undefined for a function call. */
  text: string | undefined;
  inputTokens: number;
  outputTokens: number;
  candidates: number;
  /** Asked for with `thinkingConfig.includeThoughts`: a thought summary part comes first. */
  thought?: string;
}

const DEFAULT_MODELS = ['gemini-2.5-flash', 'gemini-2.5-pro'];
const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };
const MODEL_CALL =
  /^\/v1beta\/(?:models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent)$/;
const COUNT_CALL = /^\/v1beta\/(?:models|tunedModels)\/([^/:]+):countTokens$/;
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const RPC_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function sendError(
  response: ServerResponse,
  code: number,
  message: string,
  details?: unknown[],
  status = RPC_STATUS[code] ?? 'UNKNOWN',
): void {
  response.writeHead(code, JSON_TYPE);
  response.end(
    JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } }),
  );
}

function sendInvalidKey(response: ServerResponse): void {
  sendError(response, 400, 'API key not valid. Please pass a valid API key.', [
    {
      '@type': ERROR_INFO,
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    {
      '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
      locale: 'en-US',
      message: 'API key not valid. Please pass a valid API key.',
    },
  ]);
}

/** Answers a fault that replaces the model's answer; returns false when the answer should go ahead. */
function sendFault(
  fault: MockFault | undefined,
  response: ServerResponse,
  model: string,
  streaming: boolean,
): boolean {
  switch (fault?.kind) {
    case 'server-error': {
      const code = fault.status ?? 500;
      sendError(
        response,
        code,
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
      return true;
    }
    case 'rate-limited':
      sendError(
        response,
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric:
                  'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
                quotaDimensions: { location: 'global', model },
                quotaValue: '10',
              },
            ],
          },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Learn more about Gemini API quotas',
                url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
              },
            ],
          },
          {
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: `${(fault.retryAfterMs ?? 1000) / 1000}s`,
          },
        ],
      );
      return true;
    case 'overloaded':
    case 'model-loading':
      sendError(response, 503, 'The model is overloaded. Please try again later.');
      return true;
    case 'auth':
      sendInvalidKey(response);
      return true;
    case 'context-length':
      sendError(
        response,
        400,
        'The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).',
      );
      return true;
    case 'garbage':
      response.writeHead(200, streaming ? { 'content-type': 'text/event-stream' } : JSON_TYPE);
      response.end('\u0000\u0001<html><body>upstream garbage {{{');
      return true;
    default:
      return false;
  }
}

function partsText(parts: WirePart[] | undefined): string[] {
  const texts: string[] = [];
  for (const part of parts ?? []) if (typeof part.text === 'string') texts.push(part.text);
  return texts;
}

/** The prompt's tokens, as generateContent reports them in `promptTokenCount`. */
function promptTokens(body: WireRequest): number {
  const allText = partsText(body.systemInstruction?.parts);
  for (const content of body.contents ?? []) allText.push(...partsText(content.parts));
  return countTokens(allText.join(' '));
}

/** countTokens takes `contents` alone or a whole `generateContentRequest`. */
function serveCountTokens(response: ServerResponse, body: unknown): void {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const wrapped = record.generateContentRequest;
  const request = (
    typeof wrapped === 'object' && wrapped !== null ? wrapped : record
  ) as WireRequest;
  if (!Array.isArray(request.contents) || request.contents.length === 0) {
    sendError(response, 400, '* CountTokensRequest.contents: contents is not specified\n');
    return;
  }
  const totalTokens = promptTokens(request);
  response.writeHead(200, JSON_TYPE);
  response.end(
    JSON.stringify({
      totalTokens,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }],
    }),
  );
}

function answerFor(body: WireRequest, behaviour: MockBehaviour): Answer {
  const contents = body.contents ?? [];
  // function responses sit in user turns here; the user's own words are in the last turn that is not one
  const userText = lastUserText(contents.filter((content) => !isFunctionResponseTurn(content)));
  const inputTokens = promptTokens(body);
  const candidates = Math.max(1, body.generationConfig?.candidateCount ?? 1);
  const name = mockToolCall({
    ...toolChoice(body),
    userText,
    endsWithToolResult: isFunctionResponseTurn(contents.at(-1)),
  });
  if (name !== undefined) {
    const args = { input: userText };
    const signature = Buffer.from(`mock-thought:${name}`).toString('base64');
    return {
      parts: [{ functionCall: { name, args }, thoughtSignature: signature }],
      text: undefined,
      inputTokens,
      outputTokens: countTokens(JSON.stringify(args)),
      candidates,
    };
  }
  const text = behaviour.reply ?? `Echo: ${userText}`;
  const answer = {
    parts: [{ text }],
    text,
    inputTokens,
    outputTokens: countTokens(text),
    candidates,
  };
  if (!body.generationConfig?.thinkingConfig?.includeThoughts) return answer;
  const thought = `Thinking about: ${userText}`;
  return { ...answer, thought, parts: [{ text: thought, thought: true }, { text }] };
}

function isFunctionResponseTurn(content: WireContent | undefined): boolean {
  const parts = content?.parts ?? [];
  return parts.length > 0 && parts.every((part) => part.functionResponse !== undefined);
}

/**
 * The declared functions and `functionCallingConfig.mode`: `AUTO` (the default), `NONE`, or
 * `ANY`, which forces a call of one of `allowedFunctionNames` (every declared one when absent).
 */
function toolChoice(body: WireRequest): { offered: string[]; choice: MockToolChoice } {
  const declared = (body.tools ?? [])
    .flatMap((tool) => tool.functionDeclarations ?? [])
    .flatMap((declaration) => (typeof declaration.name === 'string' ? [declaration.name] : []));
  const calling = body.toolConfig?.functionCallingConfig;
  if (calling?.mode === 'NONE') return { offered: declared, choice: 'none' };
  if (calling?.mode !== 'ANY') return { offered: declared, choice: 'auto' };
  const allowed = calling.allowedFunctionNames ?? [];
  return { offered: allowed.length > 0 ? allowed : declared, choice: 'required' };
}

/** Thinking is counted apart from the candidates, as Gemini reports it. */
function withThoughts(usage: Record<string, unknown>, answer: Answer): Record<string, unknown> {
  if (answer.thought === undefined) return usage;
  const thoughts = countTokens(answer.thought) * answer.candidates;
  return {
    ...usage,
    thoughtsTokenCount: thoughts,
    totalTokenCount: Number(usage.totalTokenCount) + thoughts,
  };
}

function usageMetadata(
  inputTokens: number,
  outputTokens: number | undefined,
): Record<string, unknown> {
  return {
    promptTokenCount: inputTokens,
    ...(outputTokens !== undefined ? { candidatesTokenCount: outputTokens } : {}),
    totalTokenCount: inputTokens + (outputTokens ?? 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: inputTokens }],
  };
}

function candidatesOf(
  count: number,
  parts: Array<Record<string, unknown>>,
  finishReason: string | undefined,
): unknown[] {
  const candidates: unknown[] = [];
  for (let index = 0; index < count; index++) {
    candidates.push({
      content: { parts, role: 'model' },
      ...(finishReason ? { finishReason } : {}),
      index,
    });
  }
  return candidates;
}

const BLOCKED_RATINGS = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

/** The answer when a safety block applies, or undefined. */
function blockedAnswer(
  safety: GeminiMock['safety'],
  inputTokens: number,
  model: string,
  responseId: string,
): Record<string, unknown> | undefined {
  if (safety.blockPrompt) {
    return {
      promptFeedback: { blockReason: 'SAFETY', safetyRatings: BLOCKED_RATINGS },
      usageMetadata: usageMetadata(inputTokens, undefined),
      modelVersion: model,
      responseId,
    };
  }
  if (safety.blockOutput) {
    return {
      candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: BLOCKED_RATINGS }],
      usageMetadata: usageMetadata(inputTokens, undefined),
      modelVersion: model,
      responseId,
    };
  }
  return undefined;
}

function streamChunks(
  answer: Answer,
  behaviour: MockBehaviour,
  model: string,
  responseId: string,
): unknown[] {
  const finalUsage = withThoughts(
    usageMetadata(answer.inputTokens, answer.outputTokens * answer.candidates),
    answer,
  );
  if (answer.text === undefined) {
    return [
      {
        candidates: candidatesOf(answer.candidates, answer.parts, 'STOP'),
        usageMetadata: finalUsage,
        modelVersion: model,
        responseId,
      },
    ];
  }
  const pieces = splitIntoChunks(answer.text, behaviour.streamChunks ?? 4);
  const partialUsage = usageMetadata(answer.inputTokens, undefined);
  const thoughtChunk =
    answer.thought === undefined
      ? []
      : [
          {
            candidates: candidatesOf(
              answer.candidates,
              [{ text: answer.thought, thought: true }],
              undefined,
            ),
            usageMetadata: partialUsage,
            modelVersion: model,
            responseId,
          },
        ];
  return [
    ...thoughtChunk,
    ...pieces.map((piece, index) => {
      const last = index === pieces.length - 1;
      return {
        candidates: candidatesOf(answer.candidates, [{ text: piece }], last ? 'STOP' : undefined),
        usageMetadata: last ? finalUsage : partialUsage,
        modelVersion: model,
        responseId,
      };
    }),
  ];
}

function writeFlushed(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => response.write(data, () => resolve()));
}

async function writeSse(
  response: ServerResponse,
  chunks: unknown[],
  fault: MockFault | undefined,
  intervalMs: number,
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [index, chunk] of chunks.entries()) {
    if (fault?.kind === 'cut-stream' && index === fault.afterChunks) {
      response.destroy();
      return;
    }
    if (fault?.kind === 'stream-error' && index === fault.afterChunks) {
      response.end(
        `data: ${JSON.stringify({ error: { code: 500, message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting', status: 'INTERNAL' } })}\r\n\r\n`,
      );
      return;
    }
    if (index > 0) await delay(intervalMs);
    if (response.destroyed) return;
    const data = `data: ${JSON.stringify(chunk)}\r\n\r\n`;
    // cut only once the chunks before it have reached the client
    if (fault?.kind === 'cut-stream') await writeFlushed(response, data);
    else response.write(data);
  }
  response.end();
}

function listModels(response: ServerResponse, url: URL, models: readonly string[]): void {
  const pageSize = Math.max(1, Number(url.searchParams.get('pageSize') ?? 50) || 50);
  const start = Number(url.searchParams.get('pageToken') ?? 0) || 0;
  const page = models.slice(start, start + pageSize).map((id) => ({
    name: `models/${id}`,
    version: '001',
    displayName: id,
    inputTokenLimit: 1048576,
    outputTokenLimit: 65536,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
    temperature: 1,
    maxTemperature: 2,
    topP: 0.95,
    topK: 64,
  }));
  const next = start + pageSize < models.length ? { nextPageToken: String(start + pageSize) } : {};
  response.writeHead(200, JSON_TYPE);
  response.end(JSON.stringify({ models: page, ...next }));
}

export async function startGeminiMock(options: GeminiMockOptions = {}): Promise<GeminiMock> {
  const safety = {
    blockPrompt: options.blockPrompt ?? false,
    blockOutput: options.blockOutput ?? false,
  };
  const models = options.models ?? DEFAULT_MODELS;
  let responses = 0;

  async function handle(
    request: RecordedRequest,
    response: ServerResponse,
    mock: MockServer,
  ): Promise<void> {
    const url = new URL(request.url, 'http://mock');
    if (options.apiKey !== undefined) {
      const key = request.headers['x-goog-api-key'] ?? url.searchParams.get('key');
      if (!key) {
        sendError(
          response,
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        );
        return;
      }
      if (key !== options.apiKey) {
        sendInvalidKey(response);
        return;
      }
    }
    if (request.method === 'GET' && url.pathname === '/v1beta/models') {
      listModels(response, url, models);
      return;
    }
    const embedCall = request.method === 'POST' ? geminiEmbeddingsCall(url.pathname) : undefined;
    if (embedCall) {
      const models = options.models;
      const fault = (caught: MockFault | undefined, model: string) =>
        sendFault(caught, response, model, false);
      return serveGeminiEmbeddings(
        { request, response, mock, models, sendFault: fault, sendError },
        embedCall,
      );
    }
    const counted = request.method === 'POST' ? COUNT_CALL.exec(url.pathname) : null;
    if (counted) {
      const fault = mock.takeFault();
      if (await applyTimingFault(fault, response)) return;
      if (sendFault(fault, response, counted[1] ?? '', false)) return;
      serveCountTokens(response, request.body);
      return;
    }
    const match = request.method === 'POST' ? MODEL_CALL.exec(url.pathname) : null;
    if (!match) {
      sendError(response, 404, `Requested entity was not found: ${request.method} ${url.pathname}`);
      return;
    }
    const model = match[1] ?? '';
    const streaming = match[2] === 'streamGenerateContent';
    const fault = mock.takeFault();
    if (await applyTimingFault(fault, response)) return;
    await delay(mock.behaviour.latencyMs ?? 0);
    if (sendFault(fault, response, model, streaming)) return;
    if (options.models && !models.includes(model)) {
      sendError(
        response,
        404,
        `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
      return;
    }
    const body = request.body as WireRequest | undefined;
    if (!body || !Array.isArray(body.contents) || body.contents.length === 0) {
      sendError(response, 400, '* GenerateContentRequest.contents: contents is not specified\n');
      return;
    }
    const answer = answerFor(body, mock.behaviour);
    const responseId = `mock-${(++responses).toString(36)}`;
    const blocked = blockedAnswer(safety, answer.inputTokens, model, responseId);
    const chunks = blocked ? [blocked] : streamChunks(answer, mock.behaviour, model, responseId);
    if (!streaming) {
      response.writeHead(200, JSON_TYPE);
      response.end(
        JSON.stringify(
          blocked ?? {
            candidates: candidatesOf(answer.candidates, answer.parts, 'STOP'),
            usageMetadata: withThoughts(
              usageMetadata(answer.inputTokens, answer.outputTokens * answer.candidates),
              answer,
            ),
            modelVersion: model,
            responseId,
          },
        ),
      );
      return;
    }
    if (url.searchParams.get('alt') !== 'sse') {
      response.writeHead(200, JSON_TYPE);
      response.end(JSON.stringify(chunks));
      return;
    }
    await writeSse(response, chunks, fault, mock.behaviour.chunkIntervalMs ?? 0);
  }

  const server = await startMockServer(handle, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
  });
  return Object.assign(server, { safety });
}
