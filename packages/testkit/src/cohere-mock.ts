// A mock of Cohere's v2 chat API: `POST /v2/chat` (JSON, or SSE events tagged by `type` when
// `stream: true`), `POST /v1/tokenize`, `GET /v1/models`, bearer auth and `{message}` error bodies. Its answers are
// checked against Cohere's official OpenAPI schemas in cohere-mock.test.ts.
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
import { mockToolCall } from './mock-tools.ts';
import { serveCohereEmbeddings } from './cohere-embeddings-mock.ts';

export interface CohereMockOptions {
  /** When set, requests must send `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  behaviour?: MockBehaviour;
  port?: number;
  /** Chat models listed by `GET /v1/models` (an embedding model is listed too, for the endpoint filter). */
  models?: string[];
}

interface WireMessage {
  role?: string;
  content?: unknown;
}

interface WireRequest {
  model?: unknown;
  messages?: WireMessage[];
  stream?: boolean;
  tools?: Array<{ function?: { name?: unknown } }>;
  tool_choice?: string;
}

interface Answer {
  text: string | undefined;
  toolCall: { id: string; name: string; arguments: string } | undefined;
  inputTokens: number;
  outputTokens: number;
}

interface SseEvent {
  data: string;
  /** Counts toward `afterChunks` of cut-stream and stream-error faults. */
  content: boolean;
}

const DEFAULT_MODELS = ['command-a-03-2025', 'command-r-plus-08-2024', 'command-r7b-12-2024'];
const JSON_TYPE = { 'content-type': 'application/json' };

function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { ...JSON_TYPE, ...headers });
  response.end(JSON.stringify({ id: `err-${status}`, message }));
}

function sendFault(fault: MockFault | undefined, response: ServerResponse): boolean {
  switch (fault?.kind) {
    case 'server-error':
      sendError(
        response,
        fault.status ?? 500,
        'internal server error, this has been reported to our developers',
      );
      return true;
    case 'rate-limited': {
      const seconds = Math.max(1, Math.ceil((fault.retryAfterMs ?? 1000) / 1000));
      sendError(
        response,
        429,
        'You are past the per-minute request limit, please wait and try again later.',
        { 'retry-after': String(seconds) },
      );
      return true;
    }
    case 'overloaded':
    case 'model-loading':
      sendError(response, 503, 'service unavailable, please try again later');
      return true;
    case 'auth':
      sendError(response, 401, 'invalid api token');
      return true;
    case 'context-length':
      sendError(
        response,
        400,
        "too many tokens: size limit exceeded by 1048 tokens. Try using shorter or fewer inputs, or setting prompt_truncation='AUTO'.",
      );
      return true;
    case 'garbage':
      response.writeHead(200, JSON_TYPE);
      response.end('\u0000\u0001<html><body>upstream garbage {{{');
      return true;
    default:
      return false;
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content as Array<{ text?: unknown }>)
    if (typeof block.text === 'string') text += block.text;
  return text;
}

function answerFor(body: WireRequest, behaviour: MockBehaviour, callNumber: number): Answer {
  const messages = body.messages ?? [];
  const userText = lastUserText(messages);
  const inputTokens = countTokens(
    messages.map((message) => contentText(message.content)).join(' '),
  );
  const offered = (body.tools ?? []).flatMap((tool) =>
    typeof tool.function?.name === 'string' ? [tool.function.name] : [],
  );
  // Cohere's `tool_choice` is `REQUIRED` or `NONE`; without it the model decides.
  const choice =
    body.tool_choice === 'REQUIRED' ? 'required' : body.tool_choice === 'NONE' ? 'none' : 'auto';
  const name = mockToolCall({
    offered,
    choice,
    userText,
    endsWithToolResult: messages.at(-1)?.role === 'tool',
  });
  if (name !== undefined) {
    const args = JSON.stringify({ input: userText });
    return {
      text: undefined,
      toolCall: { id: `${name}_mock${callNumber}`, name, arguments: args },
      inputTokens,
      outputTokens: countTokens(args),
    };
  }
  const text = behaviour.reply ?? `Echo: ${userText}`;
  return { text, toolCall: undefined, inputTokens, outputTokens: countTokens(text) };
}

function usageOf(answer: Answer): Record<string, unknown> {
  const tokens = { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens };
  return { billed_units: tokens, tokens, cached_tokens: 0 };
}

function chatResponse(answer: Answer, id: string): Record<string, unknown> {
  if (answer.toolCall) {
    const { id: callId, name, arguments: args } = answer.toolCall;
    return {
      id,
      message: {
        role: 'assistant',
        tool_plan: `I will use ${name}.`,
        tool_calls: [{ id: callId, type: 'function', function: { name, arguments: args } }],
      },
      finish_reason: 'TOOL_CALL',
      usage: usageOf(answer),
    };
  }
  return {
    id,
    message: { role: 'assistant', content: [{ type: 'text', text: answer.text ?? '' }] },
    finish_reason: 'COMPLETE',
    usage: usageOf(answer),
  };
}

function event(type: string, payload: Record<string, unknown>, content = false): SseEvent {
  return { data: `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`, content };
}

function streamEvents(answer: Answer, id: string, chunks: number): SseEvent[] {
  const events = [
    event('message-start', {
      id,
      delta: {
        message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] },
      },
    }),
  ];
  if (answer.toolCall) {
    const { id: callId, name, arguments: args } = answer.toolCall;
    events.push(
      event('tool-plan-delta', { delta: { message: { tool_plan: `I will use ${name}.` } } }),
    );
    events.push(
      event('tool-call-start', {
        index: 0,
        delta: {
          message: {
            tool_calls: { id: callId, type: 'function', function: { name, arguments: '' } },
          },
        },
      }),
    );
    for (const piece of splitIntoChunks(args, chunks)) {
      events.push(
        event(
          'tool-call-delta',
          { index: 0, delta: { message: { tool_calls: { function: { arguments: piece } } } } },
          true,
        ),
      );
    }
    events.push(event('tool-call-end', { index: 0 }));
  } else {
    events.push(
      event('content-start', {
        index: 0,
        delta: { message: { content: { type: 'text', text: '' } } },
      }),
    );
    for (const piece of splitIntoChunks(answer.text ?? '', chunks)) {
      events.push(
        event(
          'content-delta',
          { index: 0, delta: { message: { content: { text: piece } } } },
          true,
        ),
      );
    }
    events.push(event('content-end', { index: 0 }));
  }
  events.push(
    event('message-end', {
      delta: { finish_reason: answer.toolCall ? 'TOOL_CALL' : 'COMPLETE', usage: usageOf(answer) },
    }),
  );
  return events;
}

function writeFlushed(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => response.write(data, () => resolve()));
}

async function writeStream(
  response: ServerResponse,
  events: SseEvent[],
  fault: MockFault | undefined,
  intervalMs: number,
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let contentSent = 0;
  for (const item of events) {
    if (item.content) {
      if (fault?.kind === 'cut-stream' && contentSent === fault.afterChunks) {
        response.destroy();
        return;
      }
      if (fault?.kind === 'stream-error' && contentSent === fault.afterChunks) {
        response.end(
          event('message-end', {
            delta: {
              finish_reason: 'ERROR',
              error: 'internal server error, this has been reported to our developers',
            },
          }).data,
        );
        return;
      }
      if (contentSent > 0) await delay(intervalMs);
      contentSent++;
    }
    if (response.destroyed) return;
    // cut only once the events before it have reached the client
    if (fault?.kind === 'cut-stream') await writeFlushed(response, item.data);
    else response.write(item.data);
  }
  response.end();
}

function listModels(response: ServerResponse, url: URL, chatModels: readonly string[]): void {
  const all = [
    ...chatModels.map((name) => ({ name, endpoints: ['chat'], context_length: 256000 })),
    { name: 'embed-v4.0', endpoints: ['embed'], context_length: 128000 },
  ];
  const endpoint = url.searchParams.get('endpoint');
  const matching = endpoint ? all.filter((model) => model.endpoints.includes(endpoint)) : all;
  const pageSize = Math.max(1, Number(url.searchParams.get('page_size') ?? 20) || 20);
  const start = Number(url.searchParams.get('page_token') ?? 0) || 0;
  const models = matching.slice(start, start + pageSize).map((model) => ({
    ...model,
    is_deprecated: false,
    finetuned: false,
    tokenizer_url: `https://storage.googleapis.com/cohere-public/tokenizers/${model.name}.json`,
    default_endpoints: [],
    features: model.endpoints.includes('chat') ? ['tools', 'json_mode', 'json_schema'] : [],
  }));
  const next =
    start + pageSize < matching.length ? { next_page_token: String(start + pageSize) } : {};
  response.writeHead(200, JSON_TYPE);
  response.end(JSON.stringify({ models, ...next }));
}

/** The spec's tokenize limits on `text`. */
const MAX_TOKENIZE_TEXT = 65_536;

/**
 * `POST /v1/tokenize`: the text split at whitespace (the mock's token count, as chat reports it),
 * `tokens` and `token_strings` as the spec's TokenizeResponse requires.
 */
function serveTokenize(response: ServerResponse, body: unknown): void {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { text, model } = record;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TOKENIZE_TEXT) {
    sendError(
      response,
      400,
      `invalid request: text must be between 1 and ${MAX_TOKENIZE_TEXT} characters`,
    );
    return;
  }
  if (typeof model !== 'string' || model.length === 0) {
    sendError(response, 400, 'invalid request: model must be specified');
    return;
  }
  const strings = text.trim().split(/\s+/).filter(Boolean);
  const tokenStrings = strings.length > 0 ? strings : [text];
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      tokens: tokenStrings.map((_, index) => 1000 + index),
      token_strings: tokenStrings,
      meta: { api_version: { version: '1' } },
    }),
  );
}

export async function startCohereMock(options: CohereMockOptions = {}): Promise<MockServer> {
  const models = options.models ?? DEFAULT_MODELS;
  const expectedAuthorization =
    options.apiKey !== undefined ? `bearer ${options.apiKey}` : undefined;
  let calls = 0;

  async function handle(
    request: RecordedRequest,
    response: ServerResponse,
    mock: MockServer,
  ): Promise<void> {
    const url = new URL(request.url, 'http://mock');
    if (expectedAuthorization !== undefined) {
      const authorization = request.headers.authorization;
      if (!authorization) {
        sendError(response, 401, 'no api key supplied');
        return;
      }
      // the scheme is case-insensitive, the token is not
      if (
        `${authorization.slice(0, 7).toLowerCase()}${authorization.slice(7)}` !==
        expectedAuthorization
      ) {
        sendError(response, 401, 'invalid api token');
        return;
      }
    }
    if (request.method === 'GET' && url.pathname === '/v1/models') {
      listModels(response, url, models);
      return;
    }
    if (request.method === 'POST' && url.pathname === '/v2/embed') {
      const sendEmbedFault = (fault: MockFault | undefined) => sendFault(fault, response);
      return serveCohereEmbeddings({
        request,
        response,
        mock,
        models: options.models,
        sendFault: sendEmbedFault,
        sendError,
      });
    }
    if (request.method === 'POST' && url.pathname === '/v1/tokenize') {
      const fault = mock.takeFault();
      if (await applyTimingFault(fault, response)) return;
      if (sendFault(fault, response)) return;
      serveTokenize(response, request.body);
      return;
    }
    if (request.method !== 'POST' || url.pathname !== '/v2/chat') {
      sendError(response, 404, `${request.method} ${url.pathname} not found`);
      return;
    }
    const fault = mock.takeFault();
    if (await applyTimingFault(fault, response)) return;
    await delay(mock.behaviour.latencyMs ?? 0);
    if (sendFault(fault, response)) return;
    const body = request.body as WireRequest | undefined;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      sendError(response, 400, 'invalid request: model and messages must be specified');
      return;
    }
    if (options.models && !models.includes(body.model)) {
      sendError(
        response,
        404,
        `model '${body.model}' not found, make sure the correct model ID was used and that you have access to the model.`,
      );
      return;
    }
    const callNumber = ++calls;
    const answer = answerFor(body, mock.behaviour, callNumber);
    const id = `mock-chat-${callNumber}`;
    if (body.stream !== true) {
      response.writeHead(200, JSON_TYPE);
      response.end(JSON.stringify(chatResponse(answer, id)));
      return;
    }
    await writeStream(
      response,
      streamEvents(answer, id, mock.behaviour.streamChunks ?? 4),
      fault,
      mock.behaviour.chunkIntervalMs ?? 0,
    );
  }

  return startMockServer(handle, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
  });
}
